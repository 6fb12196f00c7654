package dev.meshpilot.proxy.gateway.tls;

/** A Gateway server's certificate, key or CA cannot be used; the message names the server, the field and the file. */
public final class CredentialException extends Exception {

    private static final long serialVersionUID = 1L;

    public CredentialException(String message) {
        super(message);
    }

    public CredentialException(String message, Throwable cause) {
        super(message, cause);
    }
}
