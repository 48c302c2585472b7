package io.kafkube.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which audit events to read back: by user, by object (resource, namespace, name), by time
 * (requestReceivedTimestamp in [since, until)) and by stage; null fields match everything.
 *
 * @param limit at most this many events, the newest ones (0: all)
 * @param stage null: one event per request, the latest of its stages that is recorded (ResponseComplete,
 *     or Panic, or for a request still running the stage it reached); {@link #ALL_STAGES}: every event;
 *     a stage name: only the events of that stage
 */
public record AuditQuery(String user, String resource, String namespace, String name, Instant since, Instant until,
    int limit, String stage) {
  /** The {@code stage} that asks for every event of every request. */
  public static final String ALL_STAGES = "all";
  private static final Pattern AGO = Pattern.compile("(\\d+)(s|m|h|d)");

  public AuditQuery {
    if (stage != null && !stage.equals(ALL_STAGES)) {
      try {
        AuditPolicy.Stage.valueOf(stage);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("stage: Unsupported value: \"" + stage + "\": supported values: "
            + Stream.concat(Arrays.stream(AuditPolicy.Stage.values()).map(Enum::name), Stream.of(ALL_STAGES))
                .map(v -> "\"" + v + "\"").collect(Collectors.joining(", ")));
      }
    }
  }

  /** One event per request, whatever its stages. */
  public AuditQuery(String user, String resource, String namespace, String name, Instant since, Instant until,
      int limit) {
    this(user, resource, namespace, name, since, until, limit, null);
  }

  /** Whether one event per request is wanted (its latest stage): no stage was asked for. */
  public boolean perRequest() {
    return stage == null;
  }

  /** Whether an {@code audit.k8s.io/v1} Event matches. */
  public boolean matches(JsonNode event) {
    if (stage != null && !stage.equals(ALL_STAGES) && !stage.equals(event.path("stage").asText(null))) {
      return false;
    }
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

  /** The rank of an event's stage in a request's life (RequestReceived first); -1 if unknown. */
  static int stageRank(JsonNode event) {
    try {
      return AuditPolicy.Stage.valueOf(event.path("stage").asText("")).ordinal();
    } catch (IllegalArgumentException e) {
      return -1;
    }
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
