package io.kafkube.schemas.config;

import java.util.Map;

/**
 * The configuration order every kafkube component follows: defaults, then environment variables,
 * then command-line flags ({@code --name=value} or {@code --name value}). Each component keeps its
 * own typed, immutable configuration and says how one option changes it.
 */
public final class Flags {
  private Flags() {}

  /** Returns the configuration with one option applied; throws IllegalArgumentException for an unknown one. */
  @FunctionalInterface
  public interface Setter<C> {
    C apply(C config, String option, String value);
  }

  /**
   * @param defaults     the configuration before any source
   * @param env          the environment
   * @param envToOption  which environment variable sets which option, e.g. {@code KAFKUBE_PREFIX → prefix}
   * @param args         the flags
   */
  public static <C> C parse(C defaults, Map<String, String> env, Map<String, String> envToOption, String[] args,
      Setter<C> setter) {
    C c = defaults;
    for (Map.Entry<String, String> e : envToOption.entrySet()) {
      String value = env.get(e.getKey());
      if (value != null) {
        c = setter.apply(c, e.getValue(), value);
      }
    }
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
      int eq = a.indexOf('=');
      String name;
      String value;
      if (eq > 0) {
        name = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + a);
        }
        name = a.substring(2);
        value = args[++i];
      }
      c = setter.apply(c, name, value);
    }
    return c;
  }
}
