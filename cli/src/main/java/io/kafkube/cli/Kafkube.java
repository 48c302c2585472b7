package io.kafkube.cli;

import io.kafkube.cli.audit.AuditCommand;
import io.kafkube.cli.history.HistoryCommand;
import io.kafkube.cli.history.ReplayCommand;
import io.kafkube.cli.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kafkube} command line. */
@Command(name = "kafkube", mixinStandardHelpOptions = true, version = "kafkube 0.1.0",
    description = "A Kubernetes-compatible control plane whose store is a Kafka log.",
    subcommands = {UpCommand.class, HistoryCommand.class, ReplayCommand.class, AuditCommand.class})
public final class Kafkube implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Kafkube()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
