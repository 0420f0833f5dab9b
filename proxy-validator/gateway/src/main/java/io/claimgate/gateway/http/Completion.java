package io.claimgate.gateway.http;

import java.util.function.Consumer;

/** Told once how an answer ended: written in full, or failed (the caller went away, the upstream broke off). */
public interface Completion {

    /** Nobody to tell. */
    Completion NONE = of(() -> { }, failure -> { });

    void succeeded();

    void failed(Throwable failure);

    static Completion of(Runnable succeeded, Consumer<Throwable> failed) {
        return new Completion() {
            @Override
            public void succeeded() {
                succeeded.run();
            }

            @Override
            public void failed(Throwable failure) {
                failed.accept(failure);
            }
        };
    }
}
