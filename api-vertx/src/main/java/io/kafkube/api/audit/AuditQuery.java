package io.kafkube.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which audit events to read back: by user, by object (resource, namespace, name) and by time
 * (requestReceivedTimestamp in [since, until)); null fields match everything.
 *
 * @param limit at most this many events, the newest ones (0: all)
 */
public record AuditQuery(String user, String resource, String namespace, String name, Instant since, Instant until,
    int limit) {
  private static final Pattern AGO = Pattern.compile("(\\d+)(s|m|h|d)");

  /** Whether an {@code audit.k8s.io/v1} Event matches. */
  public boolean matches(JsonNode event) {
    if (user != null && !user.equals(event.path("user").path("username").asText(null))) {
      return false;
    }
    JsonNode ref = event.path("objectRef");
    if (resource != null && !resource.equals(ref.path("resource").asText(null))) {
      return false;
    }
    if (namespace != null && !namespace.equals(ref.path("namespace").asText(""))) {
      return false;
    }
    if (name != null && !name.equals(ref.path("name").asText(null))) {
      return false;
    }
    if (since != null || until != null) {
      Instant t = received(event);
      if (t == null || since != null && t.isBefore(since) || until != null && !t.isBefore(until)) {
        return false;
      }
    }
    return true;
  }

  static Instant received(JsonNode event) {
    try {
      return Instant.parse(event.path("requestReceivedTimestamp").asText(""));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * A time as given to {@code since}/{@code until}: RFC 3339 ({@code 2026-11-29T23:00:00Z}) or an age
   * ({@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}) before {@code now}; null for null or empty.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static Instant parseTime(String s, Instant now) {
    if (s == null || s.isBlank()) {
      return null;
    }
    Matcher m = AGO.matcher(s.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid time \"" + s + "\": use RFC 3339 (2026-11-29T23:00:00Z) or an age "
          + "like 10m, 2h, 1d");
    }
  }
}
