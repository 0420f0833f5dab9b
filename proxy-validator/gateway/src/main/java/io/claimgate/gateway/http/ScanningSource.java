package io.claimgate.gateway.http;

import io.claimgate.gateway.spend.MeteredAnswer;
import org.eclipse.jetty.io.Content;

/**
 * The upstream's answer as it is copied to the client, each chunk shown to the {@link MeteredAnswer} on the way:
 * nothing is held back or buffered.
 */
final class ScanningSource implements Content.Source {

    private final Content.Source source;
    private final MeteredAnswer answer;

    ScanningSource(Content.Source source, MeteredAnswer answer) {
        this.source = source;
        this.answer = answer;
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk chunk = source.read();
        if (chunk != null && chunk.hasRemaining()) {
            answer.feed(chunk.getByteBuffer());
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        source.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        source.fail(failure);
    }

    @Override
    public void fail(Throwable failure, boolean last) {
        source.fail(failure, last);
    }

    @Override
    public long getLength() {
        return source.getLength();
    }

    @Override
    public boolean rewind() {
        return source.rewind();
    }
}
