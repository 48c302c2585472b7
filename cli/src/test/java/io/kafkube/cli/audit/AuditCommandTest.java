package io.kafkube.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkube.api.audit.AuditQuery;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code kafkube audit}'s options as the query it reads with: one line per request unless a stage is asked for. */
class AuditCommandTest {
  static AuditCommand parsed(String... args) {
    CommandLine cl = new CommandLine(new AuditCommand());
    cl.parseArgs(args);
    return cl.getCommand();
  }

  @Test
  void byDefaultOneEventPerRequestAndAStageOrAllWhenAsked() {
    Instant now = Instant.parse("2026-11-30T00:00:00Z");
    AuditQuery perRequest = parsed("--object", "pods/default/web").query(now);
    assertThat(perRequest.perRequest()).isTrue();
    assertThat(perRequest.resource()).isEqualTo("pods");
    assertThat(perRequest.namespace()).isEqualTo("default");
    assertThat(perRequest.name()).isEqualTo("web");
    assertThat(parsed("--stage", "ResponseStarted").query(now).stage()).isEqualTo("ResponseStarted");
    assertThat(parsed("--stage", "all").query(now).perRequest()).isFalse();
  }

  @Test
  void anUnknownStageIsRefusedNamingIt() {
    AuditCommand c = parsed("--stage", "Later");
    assertThatThrownBy(() -> c.query(Instant.now())).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("stage: Unsupported value: \"Later\"");
  }
}
