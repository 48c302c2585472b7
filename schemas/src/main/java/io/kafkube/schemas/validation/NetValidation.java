package io.kafkube.schemas.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Ports, IANA port names, percentages, IP addresses and domain names. */
public final class NetValidation {
  public static final int MIN_NODE_PORT = 30000;
  public static final int MAX_NODE_PORT = 32767;

  private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
  private static final Pattern ONE_LETTER = Pattern.compile(".*[a-z].*", Pattern.DOTALL);
  private static final String PERCENT_FMT = "[0-9]+%";
  private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
  private static final String PERCENT_ERR = "a valid percent string must be a numeric string followed by an ending '%'";

  private NetValidation() {}

  public static List<String> isValidPortNum(long port) {
    if (port >= 1 && port <= 65535) {
      return List.of();
    }
    return List.of(Messages.inclusiveRange(1, 65535));
  }

  /** An IANA service name as a named port: 1–15 of {@code [-a-z0-9]}, a letter, no {@code --}, no edge hyphen. */
  public static List<String> isValidPortName(String port) {
    List<String> errs = new ArrayList<>(0);
    if (port.isEmpty() || port.length() > 15) {
      errs.add("must contain between 1 and 15 characters");
    }
    if (!PORT_NAME_CHARSET.matcher(port).matches()) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!ONE_LETTER.matcher(port).matches()) {
      errs.add("must contain at least one letter (a-z)");
    }
    if (port.contains("--")) {
      errs.add("must not contain consecutive hyphens");
    }
    if (!port.isEmpty() && (port.charAt(0) == '-' || port.charAt(port.length() - 1) == '-')) {
      errs.add("must not begin or end with a hyphen");
    }
    return errs;
  }

  public static List<String> isValidPercent(String percent) {
    if (PERCENT.matcher(percent).matches()) {
      return List.of();
    }
    return List.of(Messages.regex(PERCENT_ERR, PERCENT_FMT, "1%", "93%"));
  }

  /** Kubernetes' {@code IsValidIP}. */
  public static List<FieldError> isValidIP(FieldPath path, String value) {
    if (parseIPv4(value) || parseIPv6(value)) {
      return List.of();
    }
    return List.of(FieldError.invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
  }

  public static List<FieldError> isValidIPv4Address(FieldPath path, String value) {
    if (parseIPv4(value)) {
      return List.of();
    }
    return List.of(FieldError.invalid(path, value, "must be a valid IPv4 address"));
  }

  public static List<FieldError> isValidIPv6Address(FieldPath path, String value) {
    if (parseIPv6(value) && !parseIPv4(value) && !isIPv4Mapped(value)) {
      return List.of();
    }
    return List.of(FieldError.invalid(path, value, "must be a valid IPv6 address"));
  }

  /** Kubernetes' {@code IsFullyQualifiedDomainName}. */
  public static List<FieldError> isFullyQualifiedDomainName(FieldPath path, String name) {
    if (name.isEmpty()) {
      return List.of(FieldError.required(path, ""));
    }
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    List<String> errs = NameValidation.isDns1123Subdomain(name);
    if (!errs.isEmpty()) {
      return List.of(FieldError.invalid(path, name, String.join(",", errs)));
    }
    String[] labels = name.split("\\.", -1);
    if (labels.length < 2) {
      return List.of(FieldError.invalid(path, name, "should be a domain with at least two segments separated by dots"));
    }
    for (String label : labels) {
      errs = NameValidation.isDns1123Label(label);
      if (!errs.isEmpty()) {
        return List.of(FieldError.invalid(path, label, String.join(",", errs)));
      }
    }
    return List.of();
  }

  /** Whether {@code s} is an IP address literal (IPv4 dotted quad, leading zeros tolerated, or IPv6). */
  public static boolean isIP(String s) {
    return parseIPv4(s) || parseIPv6(s);
  }

  static boolean parseIPv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3) {
        return false;
      }
      int v = 0;
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c < '0' || c > '9') {
          return false;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean parseIPv6(String s) {
    if (s.indexOf(':') < 0) {
      return false;
    }
    int ellipsis = s.indexOf("::");
    if (ellipsis >= 0 && s.indexOf("::", ellipsis + 1) >= 0) {
      return false;
    }
    List<String> groups = new ArrayList<>();
    if (ellipsis >= 0) {
      String head = s.substring(0, ellipsis);
      String tail = s.substring(ellipsis + 2);
      if (!head.isEmpty() && !addGroups(head, groups, false)) {
        return false;
      }
      int before = groups.size();
      if (!tail.isEmpty() && !addGroups(tail, groups, true)) {
        return false;
      }
      return count(groups) < 8 && before >= 0;
    }
    return addGroups(s, groups, true) && count(groups) == 8;
  }

  private static boolean addGroups(String part, List<String> groups, boolean ipv4Tail) {
    String[] gs = part.split(":", -1);
    for (int i = 0; i < gs.length; i++) {
      String g = gs[i];
      if (ipv4Tail && i == gs.length - 1 && g.indexOf('.') >= 0) {
        if (!parseIPv4(g)) {
          return false;
        }
        groups.add(g);
        continue;
      }
      if (g.isEmpty() || g.length() > 4) {
        return false;
      }
      for (int j = 0; j < g.length(); j++) {
        if (Character.digit(g.charAt(j), 16) < 0) {
          return false;
        }
      }
      groups.add(g);
    }
    return true;
  }

  private static int count(List<String> groups) {
    int n = 0;
    for (String g : groups) {
      n += g.indexOf('.') >= 0 ? 2 : 1;
    }
    return n;
  }

  private static boolean isIPv4Mapped(String s) {
    return s.toLowerCase(java.util.Locale.ROOT).startsWith("::ffff:") && parseIPv4(s.substring(7));
  }
}
