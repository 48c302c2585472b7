package io.kafkube.schemas.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes' {@code resource.Quantity}: a fixed-point number with a unit suffix, parsed with
 * Kubernetes' grammar and printed in its canonical form.
 *
 * <pre>
 * quantity ::= [+-] digits [. digits] [suffix]
 * suffix   ::= Ki | Mi | Gi | Ti | Pi | Ei          (binary, powers of 1024)
 *            | n | u | m | "" | k | M | G | T | P | E (decimal SI)
 *            | (e|E) [+-] digits                    (decimal exponent)
 * </pre>
 *
 * <p>Values are kept to nano precision (finer values are rounded away from zero, as Kubernetes
 * does). {@link #toString()} is Kubernetes' canonical form: {@code 1500m} stays {@code 1500m},
 * {@code 1000m} becomes {@code 1}, {@code 1024Mi} becomes {@code 1Gi}, {@code 0.5} becomes
 * {@code 500m}. Equality and ordering are numeric ({@code 1Ki} equals {@code 1024}). Immutable and
 * thread-safe.
 */
public final class Quantity implements Comparable<Quantity> {
  /** Kubernetes' {@code ErrFormatWrong} text. */
  public static final String ERR_FORMAT_WRONG =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  /** Kubernetes' {@code ErrSuffix} text. */
  public static final String ERR_SUFFIX = "unable to parse quantity's suffix";

  public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

  /** How a quantity prints, taken from the suffix it was written with. */
  public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

  private static final int NANO = 9;
  private static final String SUFFIX_CHARS = "eEinumkKMGTP";
  private static final BigInteger BI_1024 = BigInteger.valueOf(1024);

  private final BigDecimal value;
  private final Format format;

  private Quantity(BigDecimal value, Format format) {
    BigDecimal v = value.scale() > NANO ? value.setScale(NANO, RoundingMode.UP) : value;
    this.value = v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
    this.format = format;
  }

  /** A quantity of {@code value} units, e.g. {@code of(BigDecimal.valueOf(2), Format.BINARY_SI)}. */
  public static Quantity of(BigDecimal value, Format format) {
    return new Quantity(Objects.requireNonNull(value), Objects.requireNonNull(format));
  }

  /** {@code ofMilli(1500)} is {@code 1500m}. */
  public static Quantity ofMilli(long milli) {
    return new Quantity(BigDecimal.valueOf(milli, 3), Format.DECIMAL_SI);
  }

  /**
   * Parses Kubernetes' syntax.
   *
   * @throws NumberFormatException with Kubernetes' message ({@link #ERR_FORMAT_WRONG} or
   *     {@link #ERR_SUFFIX}) when {@code s} is not a quantity
   */
  public static Quantity parse(String s) {
    Objects.requireNonNull(s, "s");
    if (s.isEmpty()) {
      throw new NumberFormatException(ERR_FORMAT_WRONG);
    }
    int end = s.length();
    int pos = 0;
    boolean positive = true;
    char c0 = s.charAt(0);
    if (c0 == '-' || c0 == '+') {
      positive = c0 != '-';
      pos++;
    }
    int numStart = pos;
    while (pos < end && isDigit(s.charAt(pos))) {
      pos++;
    }
    String num = s.substring(numStart, pos);
    String denom = "";
    if (pos < end && s.charAt(pos) == '.') {
      pos++;
      int denomStart = pos;
      while (pos < end && isDigit(s.charAt(pos))) {
        pos++;
      }
      denom = s.substring(denomStart, pos);
    }
    int suffixStart = pos;
    while (pos < end && SUFFIX_CHARS.indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    if (pos < end && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
      pos++;
    }
    while (pos < end && isDigit(s.charAt(pos))) {
      pos++;
    }
    if (pos < end) {
      throw new NumberFormatException(ERR_FORMAT_WRONG);
    }
    String suffix = s.substring(suffixStart);

    BigDecimal amount = new BigDecimal((num.isEmpty() ? "0" : num) + (denom.isEmpty() ? "" : "." + denom));
    Format format;
    switch (suffix) {
      case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" -> {
        format = Format.BINARY_SI;
        int power = "KMGTPE".indexOf(suffix.charAt(0)) + 1;
        amount = amount.multiply(new BigDecimal(BI_1024.pow(power)));
      }
      case "n", "u", "m", "", "k", "M", "G", "T", "P", "E" -> {
        format = Format.DECIMAL_SI;
        amount = amount.scaleByPowerOfTen(decimalExponent(suffix));
      }
      default -> {
        if (suffix.length() < 2 || (suffix.charAt(0) != 'e' && suffix.charAt(0) != 'E')) {
          throw new NumberFormatException(ERR_SUFFIX);
        }
        long exp;
        try {
          exp = Long.parseLong(suffix.substring(1));
        } catch (NumberFormatException e) {
          throw new NumberFormatException(ERR_SUFFIX);
        }
        if (exp > 100_000 || exp < -100_000) {
          throw new NumberFormatException(ERR_SUFFIX);
        }
        format = Format.DECIMAL_EXPONENT;
        amount = amount.scaleByPowerOfTen((int) exp);
      }
    }
    return new Quantity(positive ? amount : amount.negate(), format);
  }

  /** The parse error message for {@code s}, empty when {@code s} is a valid quantity. */
  public static Optional<String> parseError(String s) {
    try {
      parse(s);
      return Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int decimalExponent(String suffix) {
    return switch (suffix) {
      case "n" -> -9;
      case "u" -> -6;
      case "m" -> -3;
      case "k" -> 3;
      case "M" -> 6;
      case "G" -> 9;
      case "T" -> 12;
      case "P" -> 15;
      case "E" -> 18;
      default -> 0;
    };
  }

  private static String decimalSuffix(int exponent) {
    return switch (exponent) {
      case -9 -> "n";
      case -6 -> "u";
      case -3 -> "m";
      case 0 -> "";
      case 3 -> "k";
      case 6 -> "M";
      case 9 -> "G";
      case 12 -> "T";
      case 15 -> "P";
      case 18 -> "E";
      default -> null;
    };
  }

  public Format format() {
    return format;
  }

  /** The exact value (nano precision). */
  public BigDecimal decimalValue() {
    return value;
  }

  public int signum() {
    return value.signum();
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  /** The value in whole units, rounded away from zero (Kubernetes' {@code Value()}). */
  public long value() {
    return value.setScale(0, RoundingMode.UP).longValueExact();
  }

  /** The value in thousandths, rounded away from zero (Kubernetes' {@code MilliValue()}). */
  public long milliValue() {
    return value.movePointRight(3).setScale(0, RoundingMode.UP).longValueExact();
  }

  public Quantity add(Quantity other) {
    return new Quantity(value.add(other.value), format);
  }

  public Quantity subtract(Quantity other) {
    return new Quantity(value.subtract(other.value), format);
  }

  public Quantity negate() {
    return new Quantity(value.negate(), format);
  }

  @Override
  public int compareTo(Quantity o) {
    return value.compareTo(o.value);
  }

  /** Numeric equality: {@code 1Ki} equals {@code 1024}. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && q.value.compareTo(value) == 0;
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** Kubernetes' canonical form. */
  @Override
  public String toString() {
    if (value.signum() == 0) {
      return "0";
    }
    if (format == Format.BINARY_SI && value.abs().compareTo(BigDecimal.valueOf(1024)) >= 0
        && value.scale() <= 0) {
      BigInteger n = value.toBigIntegerExact();
      int power = 0;
      while (power < 6) {
        BigInteger[] qr = n.divideAndRemainder(BI_1024);
        if (qr[1].signum() != 0) {
          break;
        }
        n = qr[0];
        power++;
      }
      return n + (power == 0 ? "" : "KMGTPE".charAt(power - 1) + "i");
    }
    // decimal: mantissa × 10^exponent with the exponent a multiple of 3
    BigInteger mantissa = value.unscaledValue();
    int exponent = -value.scale();
    int r = Math.floorMod(exponent, 3);
    if (r != 0) {
      mantissa = mantissa.multiply(BigInteger.TEN.pow(r));
      exponent -= r;
    }
    if (format == Format.DECIMAL_EXPONENT) {
      return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }
    String suffix = decimalSuffix(exponent);
    return suffix != null ? mantissa + suffix : mantissa + "e" + exponent;
  }
}
