package io.claimgate.benchmarks.spend;

import io.claimgate.gateway.spend.SpendRecord;
import io.claimgate.gateway.spend.SpendWriter;
import io.claimgate.gateway.spend.Usage;
import io.claimgate.gateway.store.EmbeddedDatabase;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.DatabaseSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What one spend batch costs PostgreSQL: the gateway's {@link SpendWriter} writing batches into
 * {@code LiteLLM_SpendLogs} on the embedded PostgreSQL the gateway runs without a {@code DATABASE_URL}, by
 * {@code COPY} ({@link SpendWriter#write}) and by {@code INSERT ... unnest ... ON CONFLICT} ({@link
 * SpendWriter#writeByInsert}), alternating batch by batch in one run so that both see the same machine and the same
 * table. Reports, per path, the wall time per batch and per row, the database backend's CPU time per row (from
 * {@code /proc/PID/stat} of the connection's backend) and the writing thread's own CPU time per row. A last row
 * writes batches that were written before, which is what the COPY path's fallback costs.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.claimgate.benchmarks.spend.SpendWriteBenchmark \
 *     [batches=40] [rows=5000] [prefill=500000]</pre>
 *
 * A measurement, not a test: it is run by hand, and its figures go to benchmarks/NOTES.md.
 */
public final class SpendWriteBenchmark {

    private static final int WARMUP_BATCHES = 4;
    private static final int TEAMS = 50;
    private static final int USERS = 200;
    private static final int RETRIED_BATCHES = 4;

    private final Connection connection;
    private final long backendPid;
    private final long ticksPerSecond;
    private final String idPrefix;
    private long nextId;

    private SpendWriteBenchmark(Connection connection, long backendPid, long ticksPerSecond) {
        this.connection = connection;
        this.backendPid = backendPid;
        this.ticksPerSecond = ticksPerSecond;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.idPrefix = "claimgate-" + HexFormat.of().formatHex(random) + "-";
    }

    public static void main(String[] args) throws Exception {
        int batches = argument(args, 0, 40);
        int rows = argument(args, 1, 5000);
        int prefill = argument(args, 2, 500_000);
        Path data = Files.createTempDirectory("claimgate-spend-bench");
        try (EmbeddedDatabase server = EmbeddedDatabase.start(data, 0);
             // Filling the table takes longer than the gateway's 5 s socket timeout; the writes do not need it.
             Database database = Database.open(DatabaseSettings.of(server.jdbcUrl())
                     .withSocketTimeout(Duration.ofMinutes(10)));
             Connection connection = database.dataSource().getConnection()) {
            seed(connection, prefill);
            SpendWriteBenchmark bench = new SpendWriteBenchmark(connection, single(connection,
                    "SELECT pg_backend_pid()"), ticksPerSecond());
            bench.run(batches, rows, prefill);
        } finally {
            deleteRecursively(data);
        }
    }

    private void run(int batches, int rows, int prefill) throws SQLException, IOException {
        for (int i = 0; i < WARMUP_BATCHES; i++) {
            SpendWriter.write(connection, batch(rows));
            SpendWriter.writeByInsert(connection, batch(rows));
        }
        Totals copy = new Totals("COPY (binary), increments summed in Java");
        Totals insert = new Totals("INSERT ... unnest ... ON CONFLICT DO NOTHING RETURNING");
        for (int i = 0; i < batches; i++) {
            boolean byCopy = i % 2 == 0;
            List<SpendRecord> batch = batch(rows);
            measure(byCopy ? copy : insert, batch, byCopy);
        }
        Totals retried = new Totals("COPY of a batch written before: unique violation, then INSERT");
        for (int i = 0; i < RETRIED_BATCHES; i++) {
            List<SpendRecord> batch = batch(rows);
            SpendWriter.writeByInsert(connection, batch);
            measure(retried, batch, true);
        }
        long tableRows = single(connection, "SELECT count(*) FROM \"LiteLLM_SpendLogs\"");
        System.out.printf(Locale.ROOT, "Spend batches of %d rows into LiteLLM_SpendLogs (%d rows before, %d after),"
                        + " embedded PostgreSQL %s, %d cores, load average %s%n", rows, prefill, tableRows,
                version(), Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf(Locale.ROOT, "%-62s %7s %9s %9s %9s %13s %13s%n", "path", "batches", "ms mean",
                "ms median", "µs/row", "db CPU µs/row", "JVM CPU µs/row");
        for (Totals t : List.of(copy, insert, retried)) {
            System.out.println(t.line(rows));
        }
    }

    private void measure(Totals totals, List<SpendRecord> batch, boolean byCopy) throws SQLException, IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long ticks = backendTicks();
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        if (byCopy) {
            SpendWriter.write(connection, batch);
        } else {
            SpendWriter.writeByInsert(connection, batch);
        }
        long wall = System.nanoTime() - start;
        totals.add(wall, threads.getCurrentThreadCpuTime() - cpu,
                (backendTicks() - ticks) * 1_000_000_000L / ticksPerSecond);
    }

    /** Rows shaped like the gateway's: its request ids, 50 teams, 200 users, one organization, some end users. */
    private List<SpendRecord> batch(int rows) {
        List<SpendRecord> batch = new ArrayList<>(rows);
        Instant now = Instant.now();
        for (int i = 0; i < rows; i++) {
            long id = ++nextId;
            batch.add(new SpendRecord(idPrefix + Long.toHexString(id), "acompletion", "gpt-4o",
                    "user-" + (id % USERS), "team-" + (id % TEAMS), "org-0",
                    id % 10 == 0 ? "customer-" + (id % 1000) : null, new Usage(100, 20, 120), 0.000_25,
                    now, now.plusMillis(1500)));
        }
        return batch;
    }

    /** utime + stime of the connection's backend process, in clock ticks. */
    private long backendTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(backendPid), "stat"));
        // The process name, in parentheses, may hold spaces: count fields after it.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static void seed(Connection connection, int prefill) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute("INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, created_by, updated_by) "
                    + "VALUES ('b-0', 'bench', 'bench')");
            s.execute("INSERT INTO \"LiteLLM_OrganizationTable\" (organization_id, organization_alias, budget_id, "
                    + "created_by, updated_by) VALUES ('org-0', 'org', 'b-0', 'bench', 'bench')");
            s.execute("INSERT INTO \"LiteLLM_TeamTable\" (team_id, organization_id) "
                    + "SELECT 'team-' || i, 'org-0' FROM generate_series(0, " + (TEAMS - 1) + ") i");
            s.execute("INSERT INTO \"LiteLLM_UserTable\" (user_id) "
                    + "SELECT 'user-' || i FROM generate_series(0, " + (USERS - 1) + ") i");
            s.execute("INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id) "
                    + "SELECT 'user-' || i, 'team-' || (i % " + TEAMS + ") FROM generate_series(0, "
                    + (USERS - 1) + ") i");
            s.execute("INSERT INTO \"LiteLLM_SpendLogs\" (request_id, call_type, spend, total_tokens, "
                    + "prompt_tokens, completion_tokens, \"startTime\", \"endTime\", request_duration_ms, model, "
                    + "model_group, \"user\", team_id, organization_id, status) "
                    + "SELECT 'claimgate-' || md5(i::text) || '-' || to_hex(i), 'acompletion', 0.00025, 120, 100, "
                    + "20, now() - make_interval(secs => i), now() - make_interval(secs => i) + interval '1.5 s', "
                    + "1500, 'gpt-4o', 'gpt-4o', 'user-' || (i % " + USERS + "), 'team-' || (i % " + TEAMS
                    + "), 'org-0', 'success' FROM generate_series(1, " + prefill + ") i");
            s.execute("VACUUM ANALYZE");
        }
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private String version() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SHOW server_version")) {
            r.next();
            return r.getString(1);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(getconf.getInputStream().readAllBytes()).strip();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static int argument(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One path's batches: wall, JVM thread CPU and backend CPU, in nanoseconds. */
    private static final class Totals {

        private final String path;
        private final List<Long> walls = new ArrayList<>();
        private long jvmCpu;
        private long databaseCpu;

        Totals(String path) {
            this.path = path;
        }

        void add(long wall, long jvm, long database) {
            walls.add(wall);
            jvmCpu += jvm;
            databaseCpu += database;
        }

        String line(int rows) {
            long[] sorted = walls.stream().mapToLong(Long::longValue).sorted().toArray();
            double totalWall = Arrays.stream(sorted).sum();
            double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
            double allRows = (double) rows * sorted.length;
            return String.format(Locale.ROOT, "%-62s %7d %9.1f %9.1f %9.2f %13.2f %13.2f", path, sorted.length,
                    totalWall / sorted.length / 1e6, median / 1e6, totalWall / allRows / 1e3,
                    databaseCpu / allRows / 1e3, jvmCpu / allRows / 1e3);
        }
    }
}
