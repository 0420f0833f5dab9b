package io.claimgate.gateway.management;

import java.sql.Connection;
import java.sql.SQLException;

/** One management endpoint: reads the call, works in the given transaction, returns the JSON answer. */
@FunctionalInterface
interface Operation {
    Object apply(Call call, Connection connection) throws SQLException;
}
