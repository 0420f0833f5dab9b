package io.claimgate.validator.store;

/**
 * The database cannot be used at start: unreachable, a migration failed, or a table Claimgate reads is missing.
 *
 * <p>Thrown only while opening a {@link Database} or an {@link EmbeddedDatabase}; the message names what to fix.
 * Failures during requests are {@link io.claimgate.validator.AuthException}s with status 503 instead.
 */
public final class DatabaseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatabaseException(String message) {
        super(message);
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
