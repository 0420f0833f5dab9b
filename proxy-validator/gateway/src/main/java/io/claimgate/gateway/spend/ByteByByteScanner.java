package io.claimgate.gateway.spend;

import java.nio.ByteBuffer;

/** A usage scanner that reads an answer one byte at a time, whichever form its chunks come in. */
abstract class ByteByByteScanner implements UsageScanner {

    @Override
    public final void feed(ByteBuffer chunk) {
        for (int i = chunk.position(), end = chunk.limit(); i < end; i++) {
            accept(chunk.get(i));
        }
    }

    @Override
    public final void feed(byte[] chunk, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            accept(chunk[i]);
        }
    }

    /** The next byte of the answer. */
    abstract void accept(byte b);
}
