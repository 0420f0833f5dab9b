package io.claimgate.gateway.spend;

import java.util.Optional;

/**
 * Finds the usage events of a server-sent event stream as it passes: the {@code data:} lines of each event go through a
 * {@link JsonUsageScanner}, everything else ({@code event:}, {@code id:}, comments, {@code [DONE]}) is skipped.
 *
 * <p>Lines and events may be split anywhere across chunks; the scanner keeps its place in the line, never the line.
 * OpenAI's final chunk (with {@code stream_options.include_usage}), Anthropic's {@code message_start} and
 * {@code message_delta} and the Responses API's {@code response.completed} all carry a {@code usage}; the last
 * reported count of each kind wins.
 */
final class EventStreamUsageScanner extends ByteByByteScanner {

    private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};

    private enum Place { LINE_START, FIELD_NAME, DATA, OTHER_FIELD }

    private final JsonUsageScanner json = new JsonUsageScanner();
    private Place place = Place.LINE_START;
    private int matched;
    private boolean lastWasCarriageReturn;

    @Override
    public Optional<Usage> usage() {
        return json.usage();
    }

    @Override
    void accept(byte b) {
        if (b == '\n' || b == '\r') {
            boolean secondHalfOfCrLf = b == '\n' && lastWasCarriageReturn;
            lastWasCarriageReturn = b == '\r';
            if (!secondHalfOfCrLf) {
                endLine();
            }
            return;
        }
        lastWasCarriageReturn = false;
        switch (place) {
            case LINE_START, FIELD_NAME -> {
                if (b == DATA[matched]) {
                    matched++;
                    place = matched == DATA.length ? Place.DATA : Place.FIELD_NAME;
                } else {
                    place = Place.OTHER_FIELD;
                }
            }
            case DATA -> json.accept(b);
            case OTHER_FIELD -> {
                // event:, id:, retry: and comments carry no usage.
            }
        }
    }

    private void endLine() {
        if (place == Place.LINE_START) {
            // An empty line ends the event: its data was one JSON document.
            json.endDocument();
        } else if (place == Place.DATA) {
            // Data lines of one event join with a newline, which JSON reads as white space.
            json.accept((byte) '\n');
        }
        place = Place.LINE_START;
        matched = 0;
    }
}
