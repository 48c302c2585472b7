package io.kafkube.agent.volume;

import java.util.List;
import java.util.Optional;

/**
 * Where the agent gets ServiceAccount tokens for {@code projected} volumes'
 * {@code serviceAccountToken} sources: a TokenRequest to the API server, which signs them.
 */
public interface TokenSource {
  /**
   * A token for the pod's service account, bound to the pod; empty when this agent has no way to ask
   * for one (it then reports {@code FailedMount} with {@link #unavailableReason()}).
   */
  Optional<String> token(String namespace, String serviceAccount, String podName, String podUid,
      List<String> audiences, long expirationSeconds) throws VolumeException;

  String unavailableReason();

  /** No API access: every serviceAccountToken projection fails with a clear reason. */
  static TokenSource none(String reason) {
    return new TokenSource() {
      @Override
      public Optional<String> token(String namespace, String serviceAccount, String podName, String podUid,
          List<String> audiences, long expirationSeconds) {
        return Optional.empty();
      }

      @Override
      public String unavailableReason() {
        return reason;
      }
    };
  }
}
