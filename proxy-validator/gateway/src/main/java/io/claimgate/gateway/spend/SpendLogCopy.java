package io.claimgate.gateway.spend;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams a batch's {@code LiteLLM_SpendLogs} rows with {@code COPY ... FROM STDIN (FORMAT binary)}: the cheapest way
 * to hand PostgreSQL many rows, because it parses no SQL, no array literals and no text numbers or timestamps.
 *
 * <p>Binary rather than text: every value travels as its length and its bytes, so tabs, newlines, backslashes, quotes
 * and non-ASCII in ids and models need no escaping and cannot be misread as a column or row boundary. PostgreSQL's
 * text cannot hold NUL in either format: a record holding one is refused before anything is sent, with the SQLState
 * PostgreSQL itself uses ({@code 22021}), so the ledger drops that record alone and writes the rest of its batch.
 *
 * <p>A COPY has no {@code ON CONFLICT}: a row whose request id is already in the table fails the whole statement with
 * a unique violation ({@code 23505}), which {@link SpendWriter} answers by rolling back and writing the batch again
 * with {@code INSERT ... ON CONFLICT DO NOTHING}. The caller owns the transaction.
 */
final class SpendLogCopy {

    static final String COPY = """
            COPY "LiteLLM_SpendLogs" (request_id, call_type, spend, total_tokens, prompt_tokens, completion_tokens,
                "startTime", "endTime", request_duration_ms, model, model_group, "user", team_id, organization_id,
                end_user, status, metadata)
            FROM STDIN (FORMAT binary)
            """;

    /** SQLState of PostgreSQL's "invalid byte sequence", which is what it answers to NUL in text. */
    static final String NUL_IN_TEXT = "22021";

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final short COLUMNS = 17;
    /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final byte[] SUCCESS = bytes("success");
    /** A {@code jsonb} value in binary: its format version (1), then the JSON text. */
    private static final byte[] METADATA_JSONB = jsonb(SpendWriter.METADATA);
    private static final int CHUNK = 64 * 1024;

    private SpendLogCopy() {
    }

    /**
     * Copies one row per record, in the caller's transaction.
     *
     * @throws SQLException {@code 23505} when a request id is in the table already; {@link #NUL_IN_TEXT} when a value
     *                      holds NUL (then nothing was sent); whatever else the database answers
     */
    static void copy(Connection connection, List<SpendRecord> records) throws SQLException {
        requireNoNul(records);
        PGConnection physical = connection.unwrap(PGConnection.class);
        CopyIn copy;
        try {
            copy = physical.getCopyAPI().copyIn(COPY);
        } catch (SQLException e) {
            closeIfBroken(physical, e);
            throw e;
        }
        try {
            encode(records, (bytes, length) -> copy.writeToCopy(bytes, 0, length));
            copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancelFailed) {
                    e.addSuppressed(cancelFailed);
                }
            }
            if (e instanceof SQLException failure) {
                closeIfBroken(physical, failure);
            }
            throw e;
        }
    }

    /**
     * The COPY talks to the driver's own connection, past the pool's proxy, so the pool never sees its errors and
     * would hand a connection the network broke out again and again (pgjdbc's rollback of a connection it believes
     * idle sends nothing and so never fails). Closing it makes the caller's next call through the proxy (the
     * rollback) fail with a connection error, on which the pool evicts it; the next flush gets a fresh one.
     */
    private static void closeIfBroken(PGConnection physical, SQLException failure) {
        String state = failure.getSQLState();
        if (state == null || state.startsWith("08") || state.startsWith("57P0")) {
            try {
                ((Connection) physical).close();
            } catch (SQLException closeFailed) {
                failure.addSuppressed(closeFailed);
            }
        }
    }

    /** Where encoded bytes go, a buffer at a time; the bytes are only valid during the call. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] bytes, int length) throws SQLException;
    }

    /** The whole COPY stream, signature to trailer, handed to {@code sink} in chunks of at most 64 KB. */
    static void encode(List<SpendRecord> records, Sink sink) throws SQLException {
        Encoder out = new Encoder(sink);
        out.raw(SIGNATURE);
        out.int32(0); // flags: no OIDs
        out.int32(0); // header extension length
        for (SpendRecord r : records) {
            out.int16(COLUMNS);
            out.text(r.requestId());
            out.text(r.callType());
            out.int32(8);
            out.float8(r.spend());
            out.int32Field(SpendWriter.clamp(r.usage().totalTokens()));
            out.int32Field(SpendWriter.clamp(r.usage().promptTokens()));
            out.int32Field(SpendWriter.clamp(r.usage().completionTokens()));
            out.timestamp(r.startTime());
            out.timestamp(r.endTime());
            out.int32Field(SpendWriter.durationMillis(r));
            byte[] model = bytes(r.model());
            out.field(model);
            out.field(model);
            // LiteLLM writes '' rather than NULL for a request without an internal user.
            out.text(r.userId() == null ? "" : r.userId());
            out.text(r.teamId());
            out.text(r.organizationId());
            out.text(r.endUserId());
            out.field(SUCCESS);
            out.field(METADATA_JSONB);
        }
        out.int16((short) -1);
        out.flush();
    }

    private static void requireNoNul(List<SpendRecord> records) throws SQLException {
        for (SpendRecord r : records) {
            if (hasNul(r.requestId()) || hasNul(r.callType()) || hasNul(r.model()) || hasNul(r.userId())
                    || hasNul(r.teamId()) || hasNul(r.organizationId()) || hasNul(r.endUserId())) {
                throw new SQLException("A spend record holds NUL in a text value, which PostgreSQL cannot store",
                        NUL_IN_TEXT);
            }
        }
    }

    private static boolean hasNul(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] jsonb(String json) {
        byte[] text = bytes(json);
        byte[] value = new byte[text.length + 1];
        value[0] = 1;
        System.arraycopy(text, 0, value, 1, text.length);
        return value;
    }

    /** Big-endian fields into a reused buffer, handed to the sink whenever it fills. */
    private static final class Encoder {

        private final Sink sink;
        private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);

        Encoder(Sink sink) {
            this.sink = sink;
        }

        void int16(short value) throws SQLException {
            room(2);
            buffer.putShort(value);
        }

        void int32(int value) throws SQLException {
            room(4);
            buffer.putInt(value);
        }

        void float8(double value) throws SQLException {
            room(8);
            buffer.putDouble(value);
        }

        void int32Field(int value) throws SQLException {
            int32(4);
            int32(value);
        }

        /**
         * {@code timestamp} (without time zone, as LiteLLM's columns are): microseconds since 2000-01-01 in UTC,
         * rounded half up as PostgreSQL rounds a text timestamp; the column's precision (ms) then rounds it again.
         */
        void timestamp(Instant instant) throws SQLException {
            long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                    (instant.getNano() + 500) / 1000);
            int32(8);
            room(8);
            buffer.putLong(micros - POSTGRES_EPOCH_MICROS);
        }

        /** A text value, or SQL NULL for {@code null}. */
        void text(String value) throws SQLException {
            if (value == null) {
                int32(-1);
            } else {
                field(SpendLogCopy.bytes(value));
            }
        }

        void field(byte[] value) throws SQLException {
            int32(value.length);
            raw(value);
        }

        void raw(byte[] value) throws SQLException {
            int offset = 0;
            while (offset < value.length) {
                room(1);
                int length = Math.min(buffer.remaining(), value.length - offset);
                buffer.put(value, offset, length);
                offset += length;
            }
        }

        private void room(int needed) throws SQLException {
            if (buffer.remaining() < needed) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (buffer.position() > 0) {
                sink.write(buffer.array(), buffer.position());
                buffer.clear();
            }
        }
    }
}
