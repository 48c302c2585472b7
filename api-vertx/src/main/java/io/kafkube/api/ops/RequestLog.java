package io.kafkube.api.ops;

import io.kafkube.api.audit.RequestRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The structured request log: one {@code key=value} line per answered request on the logger
 * {@code io.kafkube.api.requests} (slf4j, as every kafkube log), e.g.
 * {@code user=admin verb=create resource=pods ns=default name=web code=201 latency_ms=12 audit_id=…}.
 * Written from the audit thread, never from the event loop.
 */
public final class RequestLog {
  public static final String LOGGER = "io.kafkube.api.requests";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private RequestLog() {}

  public static void log(RequestRecord r) {
    if (LOG.isInfoEnabled()) {
      LOG.info(line(r));
    }
  }

  /** The line of one request. */
  public static String line(RequestRecord r) {
    StringBuilder sb = new StringBuilder(160);
    field(sb, "user", r.username());
    field(sb, "verb", r.verb());
    field(sb, "resource", r.resource().isEmpty() ? "" : r.subresource().isEmpty() ? r.resource()
        : r.resource() + "/" + r.subresource());
    field(sb, "ns", r.namespace());
    field(sb, "name", r.name());
    if (r.resource().isEmpty()) {
      field(sb, "uri", r.requestUri());
    }
    field(sb, "code", Integer.toString(r.code()));
    field(sb, "latency_ms", Long.toString(r.latencyMillis()));
    field(sb, "source", r.sourceIps().isEmpty() ? "" : r.sourceIps().get(0));
    field(sb, "audit_id", r.auditId());
    return sb.toString();
  }

  private static void field(StringBuilder sb, String key, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    if (!sb.isEmpty()) {
      sb.append(' ');
    }
    sb.append(key).append('=');
    boolean quote = value.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20);
    if (quote) {
      sb.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    } else {
      sb.append(value);
    }
  }
}
