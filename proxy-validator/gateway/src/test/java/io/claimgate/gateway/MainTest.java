package io.claimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void acceptsAValidConfigAndPrintsWhatItIgnores() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "general_settings:\n  alerting: [slack]\n");

        assertThat(run("check-config", "--config", config.toString())).isZero();
        assertThat(err.toString()).contains("warning: general_settings.alerting");
    }

    @Test
    void stopsWithExitCode2NamingTheInvalidKey() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "gateway:\n  port: -1\n");

        assertThat(run("serve", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("gateway.port");
    }

    @Test
    void reportsAMissingConfigFile() {
        assertThat(run("check-config", "--config", dir.resolve("missing.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read");
    }

    @Test
    void requiresTheConfigOption() {
        assertThat(run("serve")).isEqualTo(2);
        assertThat(err.toString()).contains("--config");
    }

    @Test
    void printsHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("serve").contains("demo-upstream");
    }
}
