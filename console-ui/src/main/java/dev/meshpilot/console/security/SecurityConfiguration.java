package dev.meshpilot.console.security;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

import dev.meshpilot.console.config.MeshpilotProperties;
import dev.meshpilot.console.views.login.LoginView;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Two filter chains: {@code /git/**} and {@code /api/**} for programs (HTTP basic, stateless, no CSRF
 * token), and the Vaadin console with its login view for people. Both authenticate against the
 * {@link UserStore} of the data directory.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserStore userStore(MeshpilotProperties properties, PasswordEncoder passwordEncoder) {
        UserStore users = UserStore.open(properties.usersFile(), passwordEncoder);
        AdminAccount.ensure(users, properties.adminPassword(), System.out);
        return users;
    }

    @Bean
    @Order(1)
    SecurityFilterChain programsFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher(SecurityConfiguration::isForPrograms)
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /**
     * {@code /git/...} and {@code /api/...}, matched on the raw URI (the Git servlet has its own servlet
     * mapping), also when the container renders an error for them: a 401 stays a 401 instead of becoming
     * a redirect to the login view.
     */
    static boolean isForPrograms(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (request.getDispatcherType() == DispatcherType.ERROR
                && request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String original) {
            uri = original;
        }
        String path = uri.substring(Math.min(uri.length(), request.getContextPath().length()));
        return path.startsWith("/git/") || path.equals("/api") || path.startsWith("/api/");
    }

    @Bean
    @Order(2)
    SecurityFilterChain consoleFilterChain(HttpSecurity http) throws Exception {
        http.with(vaadin(), vaadin -> vaadin.loginView(LoginView.class));
        return http.build();
    }
}
