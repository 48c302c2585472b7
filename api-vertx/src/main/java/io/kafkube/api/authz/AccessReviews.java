package io.kafkube.api.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.schemas.envelope.User;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * SelfSubjectAccessReview and SelfSubjectRulesReview ({@code authorization.k8s.io/v1}): what a
 * review asks, and the answer built from the authorizer's decision or rules; SelfSubjectReview
 * ({@code authentication.k8s.io/v1}): who asks. Pure.
 */
public final class AccessReviews {
  public static final String GROUP = "authorization.k8s.io";
  public static final String API_VERSION = GROUP + "/v1";
  public static final String ACCESS_REVIEW = "SelfSubjectAccessReview";
  public static final String RULES_REVIEW = "SelfSubjectRulesReview";
  public static final String SELF_REVIEW = "SelfSubjectReview";
  public static final String AUTHENTICATION_API_VERSION = "authentication.k8s.io/v1";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private AccessReviews() {}

  /**
   * The attributes a SelfSubjectAccessReview asks about, for {@code user}.
   *
   * @throws IllegalArgumentException when the spec has neither or both kinds of attributes
   */
  public static Attributes attributes(User user, JsonNode review) {
    JsonNode spec = review.path("spec");
    JsonNode res = spec.path("resourceAttributes");
    JsonNode non = spec.path("nonResourceAttributes");
    if (res.isObject() == non.isObject()) {
      throw new IllegalArgumentException("spec: Invalid value: exactly one of nonResourceAttributes or "
          + "resourceAttributes must be specified");
    }
    if (non.isObject()) {
      return Attributes.nonResource(user, non.path("verb").asText(""), non.path("path").asText(""));
    }
    return Attributes.resource(user, res.path("verb").asText(""), res.path("group").asText(""),
        res.path("namespace").asText(""), res.path("resource").asText(""), res.path("subresource").asText(""),
        res.path("name").asText(""));
  }

  /** The review answered: its spec and {@code status: {allowed, reason}}. */
  public static ObjectNode accessReview(JsonNode review, Decision decision) {
    ObjectNode out = head(ACCESS_REVIEW, review);
    ObjectNode status = out.putObject("status");
    status.put("allowed", decision.allowed());
    if (!decision.reason().isEmpty()) {
      status.put("reason", decision.reason());
    }
    return out;
  }

  /**
   * A SelfSubjectReview answered ({@code authentication.k8s.io/v1}, {@code kubectl auth whoami}):
   * {@code status.userInfo} with the user's name, uid and groups.
   */
  public static ObjectNode selfReview(JsonNode review, User user, Instant now) {
    ObjectNode out = F.objectNode();
    out.put("kind", SELF_REVIEW);
    out.put("apiVersion", AUTHENTICATION_API_VERSION);
    ObjectNode md = review.path("metadata").isObject() ? review.get("metadata").deepCopy() : F.objectNode();
    md.put("creationTimestamp", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
    out.set("metadata", md);
    ObjectNode info = out.putObject("status").putObject("userInfo");
    info.put("username", user.username());
    if (user.uid() != null && !user.uid().isEmpty()) {
      info.put("uid", user.uid());
    }
    strings(info.putArray("groups"), user.groups());
    return out;
  }

  /**
   * The namespace a SelfSubjectRulesReview asks about.
   *
   * @throws IllegalArgumentException without one ({@code no namespace on request}, a 400 in Kubernetes)
   */
  public static String namespace(JsonNode review) {
    String ns = review.path("spec").path("namespace").asText("");
    if (ns.isEmpty()) {
      throw new IllegalArgumentException("no namespace on request");
    }
    return ns;
  }

  /** The rules review answered: {@code status: {resourceRules, nonResourceRules, incomplete}}. */
  public static ObjectNode rulesReview(JsonNode review, List<PolicyRule> rules) {
    ObjectNode out = head(RULES_REVIEW, review);
    ObjectNode status = out.putObject("status");
    ArrayNode resources = status.putArray("resourceRules");
    ArrayNode urls = status.putArray("nonResourceRules");
    for (PolicyRule r : rules) {
      if (!r.nonResourceURLs().isEmpty()) {
        ObjectNode n = urls.addObject();
        strings(n.putArray("verbs"), r.verbs());
        strings(n.putArray("nonResourceURLs"), r.nonResourceURLs());
      } else {
        ObjectNode n = resources.addObject();
        strings(n.putArray("verbs"), r.verbs());
        strings(n.putArray("apiGroups"), r.apiGroups());
        strings(n.putArray("resources"), r.resources());
        if (!r.resourceNames().isEmpty()) {
          strings(n.putArray("resourceNames"), r.resourceNames());
        }
      }
    }
    status.put("incomplete", false);
    return out;
  }

  private static ObjectNode head(String kind, JsonNode review) {
    ObjectNode out = F.objectNode();
    out.put("kind", kind);
    out.put("apiVersion", API_VERSION);
    out.set("metadata", review.path("metadata").isObject() ? review.get("metadata").deepCopy() : F.objectNode());
    out.set("spec", review.path("spec").isObject() ? review.get("spec").deepCopy() : F.objectNode());
    return out;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
