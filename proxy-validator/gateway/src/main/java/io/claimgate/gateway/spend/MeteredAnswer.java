package io.claimgate.gateway.spend;

import io.claimgate.gateway.limits.Permit;
import io.claimgate.model.AuthResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted request's answer as it passes: its usage read chunk by chunk, and at its end its tokens counted against
 * the limits, its parallel slot freed and, for a success, its spend recorded once.
 *
 * <p>Calls come from the thread forwarding the answer, one at a time; {@link #end} may come from another and counts
 * once.
 */
public final class MeteredAnswer {

    private final Metering metering;
    private final Permit permit;
    private final AuthResult caller;
    private final String callType;
    private final String model;
    private final long startMillis = System.currentTimeMillis();
    private final AtomicBoolean ended = new AtomicBoolean();
    private UsageScanner scanner;
    private String responseCost;

    MeteredAnswer(Metering metering, Permit permit, AuthResult caller, String callType, String model) {
        this.metering = metering;
        this.permit = permit;
        this.caller = caller;
        this.callType = callType;
        this.model = model;
    }

    /** The rate-limit headers the answer carries. */
    public Permit permit() {
        return permit;
    }

    /**
     * The answer's headers have arrived.
     *
     * @param contentType  its {@code Content-Type}, which decides how it is scanned
     * @param responseCost its {@code x-litellm-response-cost}, or {@code null}
     */
    public void headers(String contentType, String responseCost) {
        this.scanner = UsageScanner.forContentType(contentType);
        this.responseCost = responseCost;
    }

    /** A chunk of the answer, on its way to the client; its position is left alone. */
    public void feed(ByteBuffer chunk) {
        if (scanner != null) {
            scanner.feed(chunk);
        }
    }

    /**
     * The answer has ended, or failed, or the client went away: frees the request's parallel slot and counts its
     * tokens. An answer the upstream began with a success status (below 400; LiteLLM's spend logs hold successes
     * only) is recorded as spend, with the usage seen so far, even when it broke off: a client must not escape its
     * budget by hanging up before the end. Only the first call counts.
     *
     * @param status the status sent to the client, or 0 when the upstream never answered
     */
    public void end(int status) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        Usage usage = scanner == null ? Usage.NONE : scanner.usage().orElse(Usage.NONE);
        try {
            if (scanner != null && status > 0 && status < 400) {
                Cost cost = metering.costs().cost(model, usage, responseCost);
                RequestIds ids = metering.requestIds();
                metering.ledger().record(new SpendRecord(ids, ids.nextNumber(), callType, metering.modelName(model),
                        caller.userId(), caller.teamId(), caller.orgId(), caller.endUserId(), usage, cost.amount(),
                        startMillis, Instant.now()));
            }
        } finally {
            permit.finish(metering.count(usage));
        }
    }
}
