package io.kafkube.schemas.envelope;

import java.util.List;
import java.util.Objects;

/** Who asked: the authenticated user of a request, or a component's own identity. */
public record User(String username, List<String> groups, String uid) {
  public static final User STORE = system("system:kafkube-store");

  public User {
    Objects.requireNonNull(username, "username");
    groups = List.copyOf(groups);
  }

  /** A component identity such as {@code system:kube-scheduler}, in group {@code system:authenticated}. */
  public static User system(String name) {
    return new User(name, List.of("system:authenticated"), null);
  }
}
