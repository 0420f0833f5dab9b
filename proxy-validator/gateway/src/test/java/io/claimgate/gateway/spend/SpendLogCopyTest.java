package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binary COPY stream {@link SpendLogCopy} sends, decoded back field by field. */
class SpendLogCopyTest {

    private static final Instant START = Instant.parse("2000-01-01T00:00:01.000000600Z");

    private static SpendRecord record(String requestId, String model, String endUser) {
        return new SpendRecord(requestId, "acompletion", model, null, "team-1", null, endUser,
                new Usage(100, 20, 120), 0.5, START, START.plusMillis(1500));
    }

    @Test
    void sendsEveryValueAsItsLengthAndItsBytesWithNullsAsMinusOne() throws SQLException {
        // given
        String awkward = "a\tb\nc\\N\"d'é😀";

        // when
        ByteBuffer stream = ByteBuffer.wrap(encode(List.of(record(awkward, "gpt-4o", null))).toByteArray());

        // then the header
        byte[] signature = new byte[11];
        stream.get(signature);
        assertThat(signature).isEqualTo(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        assertThat(stream.getInt()).as("flags").isZero();
        assertThat(stream.getInt()).as("header extension").isZero();
        // one row of 17 columns
        assertThat(stream.getShort()).isEqualTo((short) 17);
        assertThat(text(stream)).isEqualTo(awkward);
        assertThat(text(stream)).isEqualTo("acompletion");
        assertThat(stream.getInt()).isEqualTo(8);
        assertThat(stream.getDouble()).isEqualTo(0.5);
        assertThat(int4(stream)).isEqualTo(120);
        assertThat(int4(stream)).isEqualTo(100);
        assertThat(int4(stream)).isEqualTo(20);
        assertThat(stream.getInt()).isEqualTo(8);
        assertThat(stream.getLong()).as("µs since 2000-01-01, rounded half up").isEqualTo(1_000_001L);
        assertThat(stream.getInt()).isEqualTo(8);
        assertThat(stream.getLong()).isEqualTo(2_500_001L);
        assertThat(int4(stream)).as("duration ms").isEqualTo(1500);
        assertThat(text(stream)).isEqualTo("gpt-4o");
        assertThat(text(stream)).as("model_group").isEqualTo("gpt-4o");
        assertThat(text(stream)).as("no user is '', as LiteLLM writes it").isEmpty();
        assertThat(text(stream)).isEqualTo("team-1");
        assertThat(stream.getInt()).as("no organization").isEqualTo(-1);
        assertThat(stream.getInt()).as("no end user").isEqualTo(-1);
        assertThat(text(stream)).isEqualTo("success");
        int metadataLength = stream.getInt();
        assertThat(stream.get()).as("jsonb format version").isEqualTo((byte) 1);
        byte[] metadata = new byte[metadataLength - 1];
        stream.get(metadata);
        assertThat(new String(metadata, StandardCharsets.UTF_8)).isEqualTo(SpendWriter.METADATA);
        // and the trailer
        assertThat(stream.getShort()).isEqualTo((short) -1);
        assertThat(stream.hasRemaining()).isFalse();
    }

    @Test
    void handsTheStreamOverInChunksOfAtMost64KbWhateverTheValuesLength() throws SQLException {
        // given a value three chunks long and many small rows
        List<SpendRecord> batch = new ArrayList<>();
        batch.add(record("long", "m".repeat(200_000), "customer"));
        for (int i = 0; i < 2000; i++) {
            batch.add(record("r-" + i, "gpt-4o", null));
        }
        List<Integer> chunks = new ArrayList<>();

        // when
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        SpendLogCopy.encode(batch, (bytes, length) -> {
            chunks.add(length);
            whole.write(bytes, 0, length);
        });

        // then
        assertThat(chunks).allSatisfy(length -> assertThat(length).isBetween(1, 64 * 1024));
        assertThat(chunks.size()).isGreaterThan(3);
        ByteBuffer stream = ByteBuffer.wrap(whole.toByteArray());
        stream.position(19 + 2);
        assertThat(text(stream)).isEqualTo("long");
        assertThat(text(stream)).isEqualTo("acompletion");
        stream.position(stream.position() + 12 + 3 * 8 + 2 * 12 + 8);
        assertThat(text(stream)).isEqualTo("m".repeat(200_000));
        byte[] tail = Arrays.copyOfRange(whole.toByteArray(), whole.size() - 2, whole.size());
        assertThat(tail).isEqualTo(new byte[] {(byte) 0xFF, (byte) 0xFF});
    }

    private static ByteArrayOutputStream encode(List<SpendRecord> records) throws SQLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SpendLogCopy.encode(records, (bytes, length) -> out.write(bytes, 0, length));
        return out;
    }

    private static String text(ByteBuffer stream) {
        byte[] value = new byte[stream.getInt()];
        stream.get(value);
        return new String(value, StandardCharsets.UTF_8);
    }

    private static int int4(ByteBuffer stream) {
        assertThat(stream.getInt()).isEqualTo(4);
        return stream.getInt();
    }
}
