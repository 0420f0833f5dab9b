package io.claimgate.gateway;

import io.claimgate.model.SettingsException;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewayConfigReader;
import io.claimgate.gateway.demo.DemoUpstream;
import io.claimgate.gateway.metrics.GatewayMetrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code proxy-validator.jar} command line: {@code serve}, {@code check-config}, {@code demo-upstream}. */
@Command(name = "proxy-validator", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Claimgate: a LiteLLM-compatible gateway that trusts Keycloak-issued JWTs.",
        subcommands = {Main.Serve.class, Main.CheckConfig.class, DemoUpstream.Command.class})
public final class Main implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads the configuration, printing what it ignores; a bad value ends the command with exit code 2. */
    static GatewayConfig readConfig(Path file, PrintWriter err) {
        GatewayConfig config = new GatewayConfigReader(System.getenv()).read(file);
        config.warnings().forEach(w -> err.println("warning: " + w));
        return config;
    }

    /** {@code serve --config FILE}: runs the gateway until stopped (SIGTERM or Ctrl-C). */
    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway.")
    static final class Serve implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, description = "LiteLLM config.yaml with a gateway: "
                + "section")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            GatewayConfig gatewayConfig;
            try {
                gatewayConfig = readConfig(config, err);
            } catch (SettingsException e) {
                err.println("invalid configuration: " + e.getMessage());
                return 2;
            }
            GatewayMetrics metrics = new GatewayMetrics();
            GatewayComponents components;
            try {
                components = JwtGatewayComponents.create(gatewayConfig, metrics);
            } catch (SettingsException e) {
                err.println("invalid configuration: " + e.getMessage());
                return 2;
            } catch (RuntimeException e) {
                LOG.error("The gateway could not start", e);
                err.println("cannot start: " + e.getMessage());
                return 1;
            }
            GatewayServer server = new GatewayServer(gatewayConfig, components.authenticator(),
                    components.dataSource(), components.changes(), components.readinessChecks(), metrics);
            components.onAnyChange(server::forgetCachedLimits);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOG.info("stopping");
                server.close();
                components.close();
                stopped.countDown();
            }, "shutdown"));
            try {
                server.start();
            } catch (IllegalStateException e) {
                err.println(e.getMessage());
                components.close();
                return 1;
            }
            stopped.await();
            return 0;
        }
    }

    /** {@code check-config --config FILE}: validates a configuration without starting anything. */
    @Command(name = "check-config", mixinStandardHelpOptions = true,
            description = "Validate a config.yaml and list what is ignored.")
    static final class CheckConfig implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, description = "LiteLLM config.yaml")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                GatewayConfig result = readConfig(config, spec.commandLine().getErr());
                spec.commandLine().getOut().println("ok: " + result);
                return 0;
            } catch (SettingsException e) {
                spec.commandLine().getErr().println("invalid configuration: " + e.getMessage());
                return 2;
            }
        }
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"proxy-validator " + (version == null ? "(development build)" : version)};
        }
    }
}
