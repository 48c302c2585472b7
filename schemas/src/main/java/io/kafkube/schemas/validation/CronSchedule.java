package io.kafkube.schemas.validation;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A CronJob schedule as Kubernetes parses it ({@code robfig/cron/v3} {@code ParseStandard}): five
 * fields (minute, hour, day of month, month, day of week) with {@code *}, {@code ?}, lists,
 * ranges, steps and month/day names, or a descriptor ({@code @hourly}, {@code @daily},
 * {@code @midnight}, {@code @weekly}, {@code @monthly}, {@code @yearly}, {@code @annually},
 * {@code @every <duration>}), optionally after {@code TZ=}/{@code CRON_TZ=}. Parse errors carry
 * the same text as Kubernetes' ({@code expected exactly 5 fields, found 1: [foo]}, …) so that
 * {@code spec.schedule} errors read as they do in Kubernetes. {@link #next} computes fire times
 * with robfig's algorithm. Immutable and thread-safe.
 */
public final class CronSchedule {
  private static final long STAR_BIT = 1L << 63;

  private record Bounds(int min, int max, Map<String, Integer> names) {}

  private static final Bounds MINUTES = new Bounds(0, 59, null);
  private static final Bounds HOURS = new Bounds(0, 23, null);
  private static final Bounds DOM = new Bounds(1, 31, null);
  private static final Bounds MONTHS = new Bounds(1, 12, Map.ofEntries(
      Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3), Map.entry("apr", 4),
      Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8),
      Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12)));
  private static final Bounds DOW = new Bounds(0, 6, Map.of(
      "sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6));

  private final long second;
  private final long minute;
  private final long hour;
  private final long dom;
  private final long month;
  private final long dow;
  private final Duration every; // @every; the bit sets are unused then
  private final ZoneId zone;    // from TZ=/CRON_TZ=, null when absent

  private CronSchedule(long second, long minute, long hour, long dom, long month, long dow,
      Duration every, ZoneId zone) {
    this.second = second;
    this.minute = minute;
    this.hour = hour;
    this.dom = dom;
    this.month = month;
    this.dow = dow;
    this.every = every;
    this.zone = zone;
  }

  /** Thrown for a bad schedule; the message is robfig/cron's. */
  public static final class CronFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    CronFormatException(String message) {
      super(message);
    }
  }

  /** Parses a schedule; throws {@link CronFormatException} with Kubernetes' message when invalid. */
  public static CronSchedule parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.isEmpty()) {
      throw new CronFormatException("empty spec string");
    }
    ZoneId zone = null;
    if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
      int space = spec.indexOf(' ');
      int eq = spec.indexOf('=');
      String name = space < 0 ? spec.substring(eq + 1) : spec.substring(eq + 1, space);
      zone = zone(name);
      if (zone == null || space < 0) {
        throw new CronFormatException("provided bad location " + name + ": unknown time zone " + name);
      }
      spec = spec.substring(space).trim();
    }
    if (spec.startsWith("@")) {
      return descriptor(spec, zone);
    }
    String[] fields = spec.trim().isEmpty() ? new String[0] : spec.trim().split("\\s+");
    if (fields.length != 5) {
      throw new CronFormatException("expected exactly 5 fields, found " + fields.length + ": ["
          + String.join(" ", fields) + "]");
    }
    return new CronSchedule(1L, field(fields[0], MINUTES), field(fields[1], HOURS), field(fields[2], DOM),
        field(fields[3], MONTHS), field(fields[4], DOW), null, zone);
  }

  /** The robfig/cron error for {@code spec}, empty when it parses. */
  public static java.util.Optional<String> parseError(String spec) {
    try {
      parse(spec);
      return java.util.Optional.empty();
    } catch (CronFormatException e) {
      return java.util.Optional.of(e.getMessage());
    }
  }

  /** The zone named in the schedule ({@code CRON_TZ=...}), if any. */
  public java.util.Optional<ZoneId> zone() {
    return java.util.Optional.ofNullable(zone);
  }

  private static ZoneId zone(String name) {
    if (name.isEmpty() || name.equals("UTC")) {
      return ZoneId.of("UTC");
    }
    if (!ZoneId.getAvailableZoneIds().contains(name)) {
      return null;
    }
    return ZoneId.of(name);
  }

  private static CronSchedule descriptor(String spec, ZoneId zone) {
    long all = STAR_BIT;
    long allDom = bits(1, 31, 1) | all;
    long allMonths = bits(1, 12, 1) | all;
    long allDow = bits(0, 6, 1) | all;
    long allHours = bits(0, 23, 1) | all;
    switch (spec) {
      case "@yearly", "@annually" -> {
        return new CronSchedule(1L, 1L, 1L, 1L << 1, 1L << 1, allDow, null, zone);
      }
      case "@monthly" -> {
        return new CronSchedule(1L, 1L, 1L, 1L << 1, allMonths, allDow, null, zone);
      }
      case "@weekly" -> {
        return new CronSchedule(1L, 1L, 1L, allDom, allMonths, 1L, null, zone);
      }
      case "@daily", "@midnight" -> {
        return new CronSchedule(1L, 1L, 1L, allDom, allMonths, allDow, null, zone);
      }
      case "@hourly" -> {
        return new CronSchedule(1L, 1L, allHours, allDom, allMonths, allDow, null, zone);
      }
      default -> { }
    }
    String every = "@every ";
    if (spec.startsWith(every)) {
      Duration d = GoDuration.parse(spec.substring(every.length()), spec);
      if (d.compareTo(Duration.ofSeconds(1)) < 0) {
        d = Duration.ofSeconds(1);
      }
      return new CronSchedule(0, 0, 0, 0, 0, 0, d.truncatedTo(ChronoUnit.SECONDS), zone);
    }
    throw new CronFormatException("unrecognized descriptor: " + spec);
  }

  private static long field(String field, Bounds r) {
    long bits = 0;
    for (String expr : field.split(",")) {
      if (expr.isEmpty()) {
        continue; // Go's FieldsFunc drops empty parts
      }
      bits |= range(expr, r);
    }
    return bits;
  }

  private static long range(String expr, Bounds r) {
    String[] rangeAndStep = expr.split("/", -1);
    String[] lowAndHigh = rangeAndStep[0].split("-", -1);
    boolean single = lowAndHigh.length == 1;
    long start;
    long end;
    long extra = 0;
    if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
      start = r.min;
      end = r.max;
      extra = STAR_BIT;
    } else {
      start = intOrName(lowAndHigh[0], r.names);
      switch (lowAndHigh.length) {
        case 1 -> end = start;
        case 2 -> end = intOrName(lowAndHigh[1], r.names);
        default -> throw new CronFormatException("too many hyphens: " + expr);
      }
    }
    long step;
    switch (rangeAndStep.length) {
      case 1 -> step = 1;
      case 2 -> {
        step = mustParseInt(rangeAndStep[1]);
        if (single) {
          end = r.max;
        }
        if (step > 1) {
          extra = 0;
        }
      }
      default -> throw new CronFormatException("too many slashes: " + expr);
    }
    if (start < r.min) {
      throw new CronFormatException("beginning of range (" + start + ") below minimum (" + r.min + "): " + expr);
    }
    if (end > r.max) {
      throw new CronFormatException("end of range (" + end + ") above maximum (" + r.max + "): " + expr);
    }
    if (start > end) {
      throw new CronFormatException("beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
    }
    if (step == 0) {
      throw new CronFormatException("step of range should be a positive number: " + expr);
    }
    return bits((int) start, (int) end, (int) step) | extra;
  }

  private static long intOrName(String expr, Map<String, Integer> names) {
    if (names != null) {
      Integer v = names.get(expr.toLowerCase(Locale.ROOT));
      if (v != null) {
        return v;
      }
    }
    return mustParseInt(expr);
  }

  private static long mustParseInt(String expr) {
    long num;
    try {
      String digits = expr.startsWith("+") ? expr.substring(1) : expr;
      if (digits.isEmpty() || digits.startsWith("+") || !digits.matches("-?[0-9]+")) {
        throw new CronFormatException("failed to parse int from " + expr + ": strconv.Atoi: parsing "
            + GoValue.quote(expr) + ": invalid syntax");
      }
      num = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new CronFormatException("failed to parse int from " + expr + ": strconv.Atoi: parsing "
          + GoValue.quote(expr) + ": value out of range");
    }
    if (num < 0) {
      throw new CronFormatException("negative number (" + num + ") not allowed: " + expr);
    }
    return num;
  }

  private static long bits(int min, int max, int step) {
    long b = 0;
    if (step == 1) {
      return ~(-1L << (max + 1)) & (-1L << min);
    }
    for (int i = min; i <= max; i += step) {
      b |= 1L << i;
    }
    return b;
  }

  /**
   * The first fire time strictly after {@code t} (whole seconds), in {@code t}'s zone, or empty
   * when none is found within five years (e.g. {@code 0 0 30 2 *}). A {@code TZ=} in the
   * schedule makes the computation happen in that zone.
   */
  public java.util.Optional<ZonedDateTime> next(ZonedDateTime t) {
    if (every != null) {
      return java.util.Optional.of(t.truncatedTo(ChronoUnit.SECONDS).plus(every));
    }
    ZoneId orig = t.getZone();
    ZonedDateTime c = zone != null ? t.withZoneSameInstant(zone) : t;
    c = c.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    boolean added = false;
    int yearLimit = c.getYear() + 5;
    wrap:
    while (true) {
      if (c.getYear() > yearLimit) {
        return java.util.Optional.empty();
      }
      while ((1L << c.getMonthValue() & month) == 0) {
        if (!added) {
          added = true;
          c = c.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        }
        c = c.plusMonths(1);
        if (c.getMonthValue() == 1) {
          continue wrap;
        }
      }
      while (!dayMatches(c)) {
        if (!added) {
          added = true;
          c = c.truncatedTo(ChronoUnit.DAYS);
        }
        c = c.plusDays(1);
        if (c.getDayOfMonth() == 1) {
          continue wrap;
        }
      }
      while ((1L << c.getHour() & hour) == 0) {
        if (!added) {
          added = true;
          c = c.truncatedTo(ChronoUnit.HOURS);
        }
        c = c.plusHours(1);
        if (c.getHour() == 0) {
          continue wrap;
        }
      }
      while ((1L << c.getMinute() & minute) == 0) {
        if (!added) {
          added = true;
          c = c.truncatedTo(ChronoUnit.MINUTES);
        }
        c = c.plusMinutes(1);
        if (c.getMinute() == 0) {
          continue wrap;
        }
      }
      while ((1L << c.getSecond() & second) == 0) {
        if (!added) {
          added = true;
          c = c.truncatedTo(ChronoUnit.SECONDS);
        }
        c = c.plusSeconds(1);
        if (c.getSecond() == 0) {
          continue wrap;
        }
      }
      return java.util.Optional.of(c.withZoneSameInstant(orig));
    }
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean domMatch = (1L << t.getDayOfMonth() & dom) != 0;
    boolean dowMatch = (1L << (t.getDayOfWeek().getValue() % 7) & dow) != 0;
    if ((dom & STAR_BIT) != 0 || (dow & STAR_BIT) != 0) {
      return domMatch && dowMatch;
    }
    return domMatch || dowMatch;
  }

  /** Go's {@code time.ParseDuration}, with its error texts. */
  static final class GoDuration {
    private GoDuration() {}

    static Duration parse(String orig, String descriptor) {
      String s = orig;
      String prefix = "failed to parse duration " + descriptor + ": ";
      boolean neg = false;
      if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
        neg = s.charAt(0) == '-';
        s = s.substring(1);
      }
      if (s.equals("0")) {
        return Duration.ZERO;
      }
      if (s.isEmpty()) {
        throw new CronFormatException(prefix + "time: invalid duration " + GoValue.quote(orig));
      }
      double totalNanos = 0;
      List<String> units = List.of("ns", "us", "µs", "μs", "ms", "s", "m", "h");
      while (!s.isEmpty()) {
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        String number = s.substring(0, i);
        if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
          throw new CronFormatException(prefix + "time: invalid duration " + GoValue.quote(orig));
        }
        s = s.substring(i);
        int j = 0;
        while (j < s.length() && s.charAt(j) != '.' && !Character.isDigit(s.charAt(j))) {
          j++;
        }
        String unit = s.substring(0, j);
        if (unit.isEmpty()) {
          throw new CronFormatException(prefix + "time: missing unit in duration " + GoValue.quote(orig));
        }
        if (!units.contains(unit)) {
          throw new CronFormatException(prefix + "time: unknown unit " + GoValue.quote(unit) + " in duration "
              + GoValue.quote(orig));
        }
        s = s.substring(j);
        double nanosPerUnit = switch (unit) {
          case "ns" -> 1;
          case "us", "µs", "μs" -> 1e3;
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          default -> 3600e9;
        };
        totalNanos += Double.parseDouble(number) * nanosPerUnit;
      }
      if (totalNanos > Long.MAX_VALUE) {
        throw new CronFormatException(prefix + "time: invalid duration " + GoValue.quote(orig));
      }
      Duration d = Duration.ofNanos((long) totalNanos);
      return neg ? d.negated() : d;
    }
  }
}
