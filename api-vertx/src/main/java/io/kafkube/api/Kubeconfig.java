package io.kafkube.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Writes the kubeconfig of a kafkube cluster: its CA, the server URL and the admin's bearer token. */
public final class Kubeconfig {
  private Kubeconfig() {}

  /** The kubeconfig YAML text for context {@code kafkube}. */
  public static String render(String serverUrl, String caPem, String token) {
    String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kafkube
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: kubernetes-admin
          user:
            token: %s
        contexts:
        - name: kafkube
          context:
            cluster: kafkube
            user: kubernetes-admin
            namespace: default
        current-context: kafkube
        preferences: {}
        """.formatted(serverUrl, ca, token);
  }

  /** Writes the kubeconfig to {@code file} (mode 600) and returns the path. */
  public static Path write(Path file, String serverUrl, String caPem, String token) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, render(serverUrl, caPem, token), StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
