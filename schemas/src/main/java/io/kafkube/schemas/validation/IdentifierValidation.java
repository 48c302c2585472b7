package io.kafkube.schemas.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** C identifiers, environment variable names and ConfigMap/Secret keys, as Kubernetes checks them. */
public final class IdentifierValidation {
  private static final String C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*";
  private static final String C_IDENTIFIER_ERR = "a valid C identifier must start with alphabetic character "
      + "or '_', followed by a string of alphanumeric characters or '_'";
  private static final String ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
  private static final String ENV_VAR_NAME_ERR = "a valid environment variable name must consist of alphabetic "
      + "characters, digits, '_', '-', or '.', and must not start with a digit";
  private static final String RELAXED_ENV_VAR_NAME_ERR =
      "a valid environment variable name must consist only of printable ASCII characters other than '='";
  private static final String CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
  private static final String CONFIG_MAP_KEY_ERR = "a valid config key must consist of alphanumeric characters, "
      + "'-', '_' or '.'";

  private static final Pattern C_IDENTIFIER = Pattern.compile(C_IDENTIFIER_FMT);
  private static final Pattern ENV_VAR_NAME = Pattern.compile(ENV_VAR_NAME_FMT);
  private static final Pattern CONFIG_MAP_KEY = Pattern.compile(CONFIG_MAP_KEY_FMT);

  private IdentifierValidation() {}

  public static List<String> isCIdentifier(String value) {
    if (C_IDENTIFIER.matcher(value).matches()) {
      return List.of();
    }
    return List.of(Messages.regex(C_IDENTIFIER_ERR, C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName"));
  }

  /** The strict rule Kubernetes applied to env var names before 1.32 ({@code IsEnvVarName}). */
  public static List<String> isEnvVarName(String value) {
    List<String> errs = new ArrayList<>(0);
    if (!ENV_VAR_NAME.matcher(value).matches()) {
      errs.add(Messages.regex(ENV_VAR_NAME_ERR, ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
    }
    errs.addAll(hasChDirPrefix(value));
    return errs;
  }

  /**
   * The rule of Kubernetes 1.32 ({@code RelaxedEnvironmentVariableValidation}, beta and on by
   * default): any printable ASCII character except {@code =}.
   */
  public static List<String> isRelaxedEnvVarName(String value) {
    List<String> errs = new ArrayList<>(0);
    if (value.isEmpty()) {
      errs.add("environment variable name " + Messages.empty());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '=') {
        errs.add(RELAXED_ENV_VAR_NAME_ERR);
        break;
      }
    }
    return errs;
  }

  /** Keys of ConfigMap/Secret data: {@code [-._a-zA-Z0-9]+}, at most 253, not {@code .}/{@code ..}. */
  public static List<String> isConfigMapKey(String value) {
    List<String> errs = new ArrayList<>(0);
    if (value.length() > NameValidation.DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errs.add(Messages.maxLen(NameValidation.DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if (!CONFIG_MAP_KEY.matcher(value).matches()) {
      errs.add(Messages.regex(CONFIG_MAP_KEY_ERR, CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
    }
    errs.addAll(hasChDirPrefix(value));
    return errs;
  }

  private static List<String> hasChDirPrefix(String value) {
    if (value.equals(".")) {
      return List.of("must not be '.'");
    }
    if (value.equals("..")) {
      return List.of("must not be '..'");
    }
    if (value.startsWith("..")) {
      return List.of("must not start with '..'");
    }
    return List.of();
  }
}
