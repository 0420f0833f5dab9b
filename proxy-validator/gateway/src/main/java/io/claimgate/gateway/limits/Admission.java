package io.claimgate.gateway.limits;

/** The limiter's answer to one request: a {@link Permit} to forward it, or a {@link Refusal} to answer 429. */
public sealed interface Admission permits Permit, Refusal {
}
