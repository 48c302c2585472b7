package io.kafkube.api.auth;

import io.kafkube.schemas.envelope.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kube-apiserver's static token file ({@code --token-auth-file}): CSV lines
 * {@code token,user,uid,"group1,group2"}. Created with one admin token ({@code kubernetes-admin},
 * group {@code system:masters}) when missing.
 */
public final class TokenFile {
  public static final String ADMIN = "kubernetes-admin";
  public static final String MASTERS = "system:masters";

  private final Map<String, User> byToken;
  private final String adminToken;

  private TokenFile(Map<String, User> byToken, String adminToken) {
    this.byToken = Map.copyOf(byToken);
    this.adminToken = adminToken;
  }

  /** Reads {@code file}, first creating it with a fresh admin token if it does not exist. */
  public static TokenFile loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Files.writeString(file, token + "," + ADMIN + ",kubernetes-admin,\"" + MASTERS + ",system:authenticated\"\n",
            StandardCharsets.UTF_8);
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system
        }
      }
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + file, e);
    }
  }

  static TokenFile parse(List<String> lines) {
    Map<String, User> m = new HashMap<>();
    String admin = null;
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> f = csv(line);
      if (f.size() < 3) {
        throw new IllegalArgumentException("token file line needs token,user,uid: " + line);
      }
      List<String> groups = new ArrayList<>();
      if (f.size() > 3 && !f.get(3).isEmpty()) {
        for (String g : f.get(3).split(",")) {
          groups.add(g.trim());
        }
      }
      if (!groups.contains("system:authenticated")) {
        groups.add("system:authenticated");
      }
      User u = new User(f.get(1), groups, f.get(2));
      m.put(f.get(0), u);
      if (admin == null && groups.contains(MASTERS)) {
        admin = f.get(0);
      }
    }
    return new TokenFile(m, admin);
  }

  private static List<String> csv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(sb.toString().trim());
        sb.setLength(0);
      } else {
        sb.append(c);
      }
    }
    out.add(sb.toString().trim());
    return out;
  }

  /** The user of a bearer token (compared in constant time per candidate), if the token is known. */
  public Optional<User> authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    byte[] given = token.getBytes(StandardCharsets.UTF_8);
    for (Map.Entry<String, User> e : byToken.entrySet()) {
      if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /** The first token of a {@code system:masters} user, or null. */
  public String adminToken() {
    return adminToken;
  }
}
