package io.kafkube.api.authz;

/** An authorization decision and, when allowed, what allowed it (RBAC's reason). */
public record Decision(boolean allowed, String reason) {
  public static Decision allow(String reason) {
    return new Decision(true, reason);
  }

  public static Decision deny() {
    return new Decision(false, "");
  }
}
