package io.kafkube.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kafkube up --audit-policy FILE} refuses a bad policy, naming the field, before it starts anything. */
class UpCommandAuditPolicyTest {
  @TempDir
  Path dir;

  int run(StringWriter err, String... args) {
    CommandLine cl = new CommandLine(new UpCommand());
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  @Test
  void aBadPolicyIsRefusedNamingTheField() throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.yaml"), """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        rules:
        - level: Metadata
        - level: Verbose
        """);
    StringWriter err = new StringWriter();
    int exit = run(err, "--data-dir", dir.resolve("data").toString(), "--ports", "auto", "--audit-policy",
        policy.toString());
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("--audit-policy").contains("rules[1].level: Unsupported value: \"Verbose\"");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aMissingPolicyFileIsRefused() {
    StringWriter err = new StringWriter();
    int exit = run(err, "--data-dir", dir.resolve("data").toString(), "--ports", "auto", "--audit-policy",
        dir.resolve("nope.yaml").toString());
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("nope.yaml");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
