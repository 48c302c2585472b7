package io.kafkube.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.audit.AuditQuery;
import io.kafkube.api.audit.AuditReader;
import io.kafkube.cli.common.ClusterOptions;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kafkube audit}: the API requests recorded in kafkube.audit, oldest first, filtered by user, object or time. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Prints the audit events of the API servers (kafkube.audit): time, user, verb, object, code.")
public final class AuditCommand implements Callable<Integer> {
  @Option(names = "--user", description = "only requests of this user")
  String user;

  @Option(names = "--object", paramLabel = "OBJECT",
      description = "<resource>, <resource>/<namespace>/<name> or <resource>/<name> (cluster-scoped)")
  String object;

  @Option(names = "--since", description = "from this time: RFC 3339, or an age like 10m, 2h, 1d")
  String since;

  @Option(names = "--until", description = "before this time: RFC 3339, or an age like 10m")
  String until;

  @Option(names = "--limit", defaultValue = "0", description = "at most this many events, the newest (0: all)")
  int limit;

  @Option(names = "--stage", paramLabel = "STAGE", description = "the events of one stage (RequestReceived, "
      + "ResponseStarted, ResponseComplete, Panic), or all of them (all); by default one line per request, its "
      + "latest stage")
  String stage;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, or json (one Event per line)")
  String output;

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    AuditQuery q = query(Instant.now());
    List<JsonNode> events = AuditReader.read(cluster.bootstrapServers(), cluster.catalog(), q);
    PrintWriter out = spec.commandLine().getOut();
    if (output.equals("json")) {
      events.forEach(e -> out.println(e.toString()));
    } else {
      // with --stage, a request may have several lines: each says its stage
      String format = stage == null ? "%-27s %-24s %-16s %-36s %-5s %s%n" : "%-27s %-24s %-16s %-36s %-5s %-36s %s%n";
      out.printf(format, "TIME", "USER", "VERB", "OBJECT", "CODE", "AUDIT-ID", "STAGE");
      for (JsonNode e : events) {
        out.printf(format, e.path("requestReceivedTimestamp").asText(),
            e.path("user").path("username").asText("-"), e.path("verb").asText(), objectOf(e),
            e.path("responseStatus").path("code").asText("-"), e.path("auditID").asText(), e.path("stage").asText());
      }
    }
    out.flush();
    return 0;
  }

  AuditQuery query(Instant now) {
    String resource = null;
    String namespace = null;
    String name = null;
    if (object != null) {
      String[] parts = object.split("/", -1);
      resource = parts[0];
      if (parts.length == 2) {
        name = parts[1];
      } else if (parts.length == 3) {
        namespace = parts[1];
        name = parts[2].isEmpty() ? null : parts[2];
      } else if (parts.length > 3 || resource.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--object: expected <resource>[/<namespace>]/<name>, got "
            + object);
      }
    }
    try {
      return new AuditQuery(user, resource, namespace, name, AuditQuery.parseTime(since, now),
          AuditQuery.parseTime(until, now), limit, stage);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static String objectOf(JsonNode e) {
    JsonNode ref = e.path("objectRef");
    if (ref.isMissingNode()) {
      String uri = e.path("requestURI").asText();
      int q = uri.indexOf('?');
      return q < 0 ? uri : uri.substring(0, q);
    }
    StringBuilder sb = new StringBuilder(ref.path("resource").asText());
    if (ref.has("subresource")) {
      sb.append('/').append(ref.path("subresource").asText());
    }
    if (ref.has("namespace")) {
      sb.append(' ').append(ref.path("namespace").asText()).append('/');
    } else if (ref.has("name")) {
      sb.append(' ');
    }
    sb.append(ref.path("name").asText(""));
    return sb.toString();
  }
}
