package io.claimgate.validator.store;

import io.claimgate.validator.AuthException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one answer to a failed database call, for authentication lookups and the management API alike: 503, with the
 * SQL detail in the server log only. A database that is down or overloaded is the same outage whichever endpoint
 * meets it, so it gets the same status ("too many connections" is not a 503 on one route and a 500 on another).
 */
public final class DatabaseFailures {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFailures.class);

    private DatabaseFailures() {
    }

    /**
     * The refusal for a failed database call: {@code database_unavailable} when the database is down, overloaded, too
     * slow or made the transaction give way, which retrying may cure; {@code database_error} otherwise (a table or
     * column missing, a query the schema does not fit), which an operator must fix. Both are 503: the request is
     * refused, never answered from a guess.
     *
     * @param operation what was being done, for the log ({@code team lookup}, {@code /team/new})
     * @param failure   the exception the database call threw
     */
    public static AuthException of(String operation, Throwable failure) {
        if (isUnavailable(failure)) {
            LOG.debug("Database unavailable during {}: {}", operation, failure.toString());
            return AuthException.unavailable("database_unavailable",
                    "Database unavailable; the request may succeed once it is back.", failure);
        }
        LOG.warn("Database error during {}: {}", operation, failure.toString());
        return AuthException.unavailable("database_error",
                "Database error; the gateway's log names the cause.", failure);
    }

    /**
     * Whether the failure means "the server is not there, not answering or busy", as opposed to a wrong query or
     * schema: the driver's transient and recoverable exceptions, and the SQLState classes PostgreSQL uses for them.
     */
    static boolean isUnavailable(Throwable failure) {
        if (failure instanceof SQLTransientException || failure instanceof SQLRecoverableException) {
            return true;
        }
        if (failure instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("08") // connection exception
                    || state.startsWith("53") // insufficient resources: too many connections, disk full, memory
                    || state.startsWith("57P") // operator intervention: shutdown, cannot connect now, idle timeout
                    || state.equals("57014") // query_canceled: the statement ran into a timeout
                    || state.equals("40001") // serialization_failure: a concurrent transaction won
                    || state.equals("40P01"); // deadlock_detected: this transaction was chosen to give way
        }
        return false;
    }
}
