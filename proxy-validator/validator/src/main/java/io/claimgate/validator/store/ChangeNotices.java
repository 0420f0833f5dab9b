package io.claimgate.validator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces changes to every replica with PostgreSQL's {@code NOTIFY}: on {@link ChangeNotice#CHANNEL}, delivered
 * to each listening connection once the announcing transaction commits.
 */
public final class ChangeNotices {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeNotices.class);

    private final DataSource dataSource;

    public ChangeNotices(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Announces a change made and committed already. A failure is logged, not thrown: the change itself stands, this
     * replica has dropped its own cache, and the others fall back on their cache TTL.
     */
    public void announce(ChangeNotice notice) {
        try (Connection connection = dataSource.getConnection()) {
            announce(connection, notice);
        } catch (SQLException e) {
            LOG.warn("Could not announce a change of {} to the other replicas ({}); they see it within their cache "
                    + "TTL", notice.kind().prefix(), e.getMessage());
        }
    }

    /** Announces within the connection's transaction: delivered when it commits, dropped if it rolls back. */
    public static void announce(Connection connection, ChangeNotice notice) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            statement.setString(1, ChangeNotice.CHANNEL);
            statement.setString(2, notice.payload());
            statement.execute();
        }
    }
}
