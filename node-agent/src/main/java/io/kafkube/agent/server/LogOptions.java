package io.kafkube.agent.server;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * The options of a container log request, as kubelet reads them from its query ({@code PodLogOptions}).
 *
 * @param tailLines    the last N lines only (null: all)
 * @param sinceSeconds lines written in the last N seconds only (null: all)
 * @param sinceTime    lines written at or after this time only (null: all)
 * @param limitBytes   at most N bytes of output (null: no limit)
 */
public record LogOptions(boolean follow, boolean previous, boolean timestamps, Long tailLines, Long sinceSeconds,
    Instant sinceTime, Long limitBytes) {

  public static final LogOptions ALL = new LogOptions(false, false, false, null, null, null, null);

  /** Parses the query parameters ({@code param} gives one's value or null). */
  public static LogOptions parse(Function<String, String> param) {
    Long tail = number(param, "tailLines", 0);
    Long since = number(param, "sinceSeconds", 1);
    Long limit = number(param, "limitBytes", 1);
    Instant sinceTime = null;
    String st = param.apply("sinceTime");
    if (st != null && !st.isEmpty()) {
      try {
        sinceTime = Instant.parse(st);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("sinceTime: invalid value \"" + st + "\": must be an RFC3339 time");
      }
    }
    if (since != null && sinceTime != null) {
      throw new IllegalArgumentException("at most one of `sinceTime` or `sinceSeconds` may be specified");
    }
    return new LogOptions(bool(param, "follow"), bool(param, "previous"), bool(param, "timestamps"), tail, since,
        sinceTime, limit);
  }

  /** The earliest time a line may have, or null. */
  public Instant since(Instant now) {
    if (sinceSeconds != null) {
      return now.minusSeconds(sinceSeconds);
    }
    return sinceTime;
  }

  private static boolean bool(Function<String, String> param, String name) {
    String v = param.apply(name);
    if (v == null || v.isEmpty()) {
      return false;
    }
    if (v.equals("true") || v.equals("1")) {
      return true;
    }
    if (v.equals("false") || v.equals("0")) {
      return false;
    }
    throw new IllegalArgumentException(name + ": invalid value \"" + v + "\": must be true or false");
  }

  private static Long number(Function<String, String> param, String name, long min) {
    String v = param.apply(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": invalid value \"" + v + "\": must be an integer");
    }
    if (n < min) {
      throw new IllegalArgumentException(name + ": Invalid value: " + n + ": must be " + (min == 0
          ? "greater than or equal to 0" : "greater than 0"));
    }
    return n;
  }
}
