package io.claimgate.benchmarks.stack;

import java.net.URI;
import java.util.Locale;

/**
 * Starts one of the two minimal reverse proxies that measure the HTTP stack's own floor on the gateway's proxy path
 * (issue 12): {@code java -cp benchmarks.jar io.claimgate.benchmarks.stack.StackProbe <jetty|netty> <listenPort>
 * <upstreamUrl> <token>}. Both do exactly the same per request, and nothing of Claimgate's: the
 * {@code Authorization} value read as a String and looked up among one known token (401 otherwise), the small body
 * read whole, method, path, headers and body sent upstream over kept-alive pooled connections, the answer copied
 * back as it comes. benchmarks/stack/run-probe.sh runs them beside nginx and the gateway.
 *
 * <p>{@code -Dprobe.eventLoops=N} sets Netty's event loop threads (default 1); Jetty is set up as the gateway is.
 */
public final class StackProbe {

    private StackProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: StackProbe <jetty|netty> <listenPort> <upstreamUrl> <token>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        URI upstream = URI.create(args[2]);
        KnownTokens tokens = KnownTokens.of(args[3]);
        switch (args[0].toLowerCase(Locale.ROOT)) {
            case "jetty" -> JettyProbe.start(port, upstream, tokens);
            case "netty" -> NettyProbe.start(port, upstream, tokens, Integer.getInteger("probe.eventLoops", 1));
            default -> {
                System.err.println("unknown stack " + args[0] + ": jetty or netty");
                System.exit(2);
            }
        }
    }
}
