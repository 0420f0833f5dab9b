package io.claimgate.gateway.spend;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds the {@code usage} object of a JSON answer byte by byte, keeping only the structure around it: no string value,
 * however long, is held, so memory stays fixed while a whole answer passes.
 *
 * <p>{@code usage} counts only where LiteLLM's upstreams put it: at the top level (OpenAI chat, completions,
 * embeddings; Anthropic messages and {@code message_delta}), under {@code message} (Anthropic's {@code message_start})
 * and under {@code response} (the Responses API). A later {@code usage} overrides the counts it reports and keeps the
 * others, which is how Anthropic's stream splits input (first) and output (last) tokens.
 *
 * <p>It is deliberately not a validating parser: the answer goes to the client whatever it is, and a malformed one
 * simply yields no (or partial) usage.
 */
final class JsonUsageScanner extends ByteByByteScanner {

    /** Deeper structure is scanned but not tracked; usage never sits deeper than three levels. */
    private static final int MAX_DEPTH = 64;
    /** Longer keys are none of the ones we look for. */
    private static final int MAX_KEY = 32;

    private static final int KEY_OTHER = 0;
    private static final int KEY_USAGE = 1;
    private static final int KEY_MESSAGE = 2;
    private static final int KEY_RESPONSE = 3;
    private static final int FIELD_PROMPT = 4;
    private static final int FIELD_COMPLETION = 5;
    private static final int FIELD_TOTAL = 6;
    private static final int FIELD_INPUT = 7;
    private static final int FIELD_OUTPUT = 8;
    private static final int FIELD_CACHE_CREATION = 9;
    private static final int FIELD_CACHE_READ = 10;
    private static final int FIRST_FIELD = FIELD_PROMPT;
    private static final int FIELDS = FIELD_CACHE_READ - FIRST_FIELD + 1;

    private static final byte[][] KEYS = {
        null,
        bytes("usage"), bytes("message"), bytes("response"),
        bytes("prompt_tokens"), bytes("completion_tokens"), bytes("total_tokens"),
        bytes("input_tokens"), bytes("output_tokens"),
        bytes("cache_creation_input_tokens"), bytes("cache_read_input_tokens"),
    };

    private enum Lexeme { BETWEEN, STRING, NUMBER, WORD }

    private final boolean[] isObject = new boolean[MAX_DEPTH + 1];
    private final int[] keyOf = new int[MAX_DEPTH + 1];
    private final byte[] key = new byte[MAX_KEY];
    /** Counts reported so far; -1 where none was reported. */
    private final long[] reported = new long[FIELDS];
    /** Counts of the usage object being read. */
    private final long[] reading = new long[FIELDS];

    private int depth;
    private Lexeme lexeme = Lexeme.BETWEEN;
    private boolean escaped;
    private boolean stringIsKey;
    private int keyLength;
    private boolean expectingKey;
    private int pendingKey = KEY_OTHER;
    private int usageDepth = -1;
    private long number;
    private boolean numberUsable;
    private boolean sawUsage;

    JsonUsageScanner() {
        Arrays.fill(reported, -1);
    }

    @Override
    public Optional<Usage> usage() {
        if (!sawUsage) {
            return Optional.empty();
        }
        long input = reported(FIELD_INPUT);
        long prompt = reported[FIELD_PROMPT - FIRST_FIELD] >= 0 ? reported(FIELD_PROMPT)
                : saturatedSum(saturatedSum(input, reported(FIELD_CACHE_CREATION)), reported(FIELD_CACHE_READ));
        long completion = reported[FIELD_COMPLETION - FIRST_FIELD] >= 0 ? reported(FIELD_COMPLETION)
                : reported(FIELD_OUTPUT);
        long total = reported[FIELD_TOTAL - FIRST_FIELD] >= 0 ? reported(FIELD_TOTAL)
                : saturatedSum(prompt, completion);
        return Optional.of(new Usage(prompt, completion, total));
    }

    /**
     * Forgets the document being read but keeps the usage found so far: the next byte starts a new document. Server-sent
     * events call this between events, so that one malformed event cannot confuse the next.
     */
    void endDocument() {
        depth = 0;
        lexeme = Lexeme.BETWEEN;
        escaped = false;
        expectingKey = false;
        pendingKey = KEY_OTHER;
        usageDepth = -1;
    }

    void accept(byte b) {
        switch (lexeme) {
            case STRING -> inString(b);
            case NUMBER -> {
                if ((b >= '0' && b <= '9')) {
                    number = number > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : number * 10 + (b - '0');
                } else if (b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-') {
                    numberUsable = false;
                } else {
                    endNumber();
                    between(b);
                }
            }
            case WORD -> {
                if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
                    return;
                }
                lexeme = Lexeme.BETWEEN;
                between(b);
            }
            case BETWEEN -> between(b);
        }
    }

    private void between(byte b) {
        switch (b) {
            case '"' -> {
                lexeme = Lexeme.STRING;
                stringIsKey = expectingKey;
                keyLength = 0;
                escaped = false;
            }
            case '{' -> open(true);
            case '[' -> open(false);
            case '}', ']' -> close();
            case ',' -> expectingKey = depth > 0 && depth <= MAX_DEPTH && isObject[depth];
            case ':', ' ', '\t', '\n', '\r' -> {
                // Structure we already know from the surrounding bytes.
            }
            default -> {
                if (b == '-' || (b >= '0' && b <= '9')) {
                    lexeme = Lexeme.NUMBER;
                    number = b == '-' ? 0 : b - '0';
                    numberUsable = b != '-';
                } else {
                    lexeme = Lexeme.WORD;
                }
                expectingKey = false;
            }
        }
    }

    private void inString(byte b) {
        if (escaped) {
            escaped = false;
            keyLength = MAX_KEY + 1;
            return;
        }
        if (b == '\\') {
            escaped = true;
        } else if (b == '"') {
            lexeme = Lexeme.BETWEEN;
            if (stringIsKey) {
                pendingKey = classify();
                expectingKey = false;
            }
        } else if (stringIsKey && keyLength < MAX_KEY) {
            key[keyLength++] = b;
        } else {
            keyLength = MAX_KEY + 1;
        }
    }

    private void open(boolean object) {
        int parent = depth;
        depth++;
        if (depth <= MAX_DEPTH) {
            isObject[depth] = object;
            keyOf[depth] = parent > 0 && parent <= MAX_DEPTH && isObject[parent] ? pendingKey : KEY_OTHER;
            if (object && keyOf[depth] == KEY_USAGE && isUsagePlace()) {
                usageDepth = depth;
                Arrays.fill(reading, -1);
            }
        }
        pendingKey = KEY_OTHER;
        expectingKey = object;
    }

    /** {@code usage} at the top level, or under a top-level {@code message} or {@code response}. */
    private boolean isUsagePlace() {
        if (!isObject[1]) {
            return false;
        }
        return depth == 2 || (depth == 3 && (keyOf[2] == KEY_MESSAGE || keyOf[2] == KEY_RESPONSE) && isObject[2]);
    }

    private void close() {
        if (depth == 0) {
            return;
        }
        if (depth == usageDepth) {
            for (int i = 0; i < FIELDS; i++) {
                if (reading[i] >= 0) {
                    reported[i] = reading[i];
                }
            }
            sawUsage = true;
            usageDepth = -1;
        }
        depth--;
        pendingKey = KEY_OTHER;
        expectingKey = false;
    }

    private void endNumber() {
        lexeme = Lexeme.BETWEEN;
        if (numberUsable && depth == usageDepth && pendingKey >= FIRST_FIELD) {
            reading[pendingKey - FIRST_FIELD] = number;
        }
    }

    private int classify() {
        if (keyLength > MAX_KEY) {
            return KEY_OTHER;
        }
        for (int code = 1; code < KEYS.length; code++) {
            if (Arrays.equals(KEYS[code], 0, KEYS[code].length, key, 0, keyLength)) {
                return code;
            }
        }
        return KEY_OTHER;
    }

    private long reported(int field) {
        return Math.max(0, reported[field - FIRST_FIELD]);
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
