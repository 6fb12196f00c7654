package dev.meshpilot.console.git;

import dev.meshpilot.sync.MeshRepository;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.ServiceNotAuthorizedException;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Git smart HTTP at {@code /git/mesh.git}: clone and fetch for every console user, push (receive-pack)
 * for authenticated users; Spring Security asks for the credentials (HTTP basic) before a request gets
 * here. A pushed commit takes the same way as a console commit: the sync loop validates and applies it.
 */
@Configuration(proxyBeanMethods = false)
public class GitHttpConfiguration {

    @Bean
    ServletRegistrationBean<GitServlet> gitServlet(MeshRepository meshRepository) {
        GitServlet servlet = new GitServlet();
        servlet.setRepositoryResolver(new MeshRepositoryResolver(meshRepository.jgit()));
        servlet.setReceivePackFactory(GitHttpConfiguration::receivePack);
        ServletRegistrationBean<GitServlet> registration = new ServletRegistrationBean<>(servlet, "/git/*");
        registration.setName("git");
        registration.setLoadOnStartup(1);
        return registration;
    }

    private static ReceivePack receivePack(HttpServletRequest request, org.eclipse.jgit.lib.Repository db)
            throws ServiceNotEnabledException, ServiceNotAuthorizedException {
        String user = request.getRemoteUser();
        if (user == null || user.isBlank()) {
            throw new ServiceNotAuthorizedException();
        }
        ReceivePack receivePack = new ReceivePack(db);
        receivePack.setRefLogIdent(new PersonIdent(user, user + "@meshpilot.local"));
        receivePack.setAllowNonFastForwards(false);
        receivePack.setAllowDeletes(false);
        return receivePack;
    }
}
