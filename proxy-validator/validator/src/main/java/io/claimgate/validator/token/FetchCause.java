package io.claimgate.validator.token;

import com.nimbusds.jose.proc.SecurityContext;

/**
 * Why a key document is being read, passed down nimbus's {@code JWKSetSource} chain as its context so that the rate
 * limit can tell a request's fetch from the background refresh.
 */
enum FetchCause implements SecurityContext {

    /** A request found no usable keys, or no key for its {@code kid}: limited, as a flood of tokens can cause it. */
    REQUEST,

    /** The refresh thread keeping keys fresh or retrying a failed URL: never limited, so a flood cannot starve it. */
    REFRESH
}
