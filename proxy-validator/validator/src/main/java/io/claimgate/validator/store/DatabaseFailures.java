package io.claimgate.validator.store;

import io.claimgate.validator.AuthException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed lookup into the 503 the caller sees, keeping the SQL detail for the server log only.
 */
final class DatabaseFailures {

    /** SQL states that mean "the server is not there or not answering", as opposed to a wrong query or schema. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of(
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now (starting up, shutting down)
            "57014"); // query_canceled: the statement ran into a timeout

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFailures.class);

    private DatabaseFailures() {
    }

    /**
     * The exception for a failed lookup: {@code database_unavailable} when the database is down, overloaded or too
     * slow, which retrying may cure; {@code database_error} otherwise (a table or column missing, a constraint), which
     * an operator must fix. Both are 503: the request is refused, never answered from a guess.
     */
    static AuthException of(String lookup, Throwable failure) {
        if (isUnavailable(failure)) {
            LOG.debug("Database unavailable during {}: {}", lookup, failure.toString());
            return AuthException.unavailable("database_unavailable",
                    "Database unavailable; the request may succeed once it is back.", failure);
        }
        LOG.warn("Database error during {}: {}", lookup, failure.toString());
        return AuthException.unavailable("database_error",
                "Database error; the gateway's log names the cause.", failure);
    }

    private static boolean isUnavailable(Throwable failure) {
        if (failure instanceof SQLTransientException || failure instanceof SQLRecoverableException) {
            return true;
        }
        if (failure instanceof SQLException sql) {
            String state = sql.getSQLState();
            // Class 08: connection exception; class 53: insufficient resources (e.g. too many connections).
            return state != null
                    && (state.startsWith("08") || state.startsWith("53") || UNAVAILABLE_STATES.contains(state));
        }
        return false;
    }
}
