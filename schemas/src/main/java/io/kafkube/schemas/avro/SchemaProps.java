package io.kafkube.schemas.avro;

/**
 * Names and values of the schema properties the generated Avro schemas carry for the code that
 * reads them (the JSON converter, OpenAPI, validation). They are annotations, not Avro fields.
 *
 * <ul>
 *   <li>On a kind record: {@link #KIND} ({@code Deployment}), {@link #API_VERSION}
 *       ({@code apps/v1}), {@link #RESOURCE} ({@code deployments.apps}). The Kubernetes JSON
 *       {@code apiVersion}/{@code kind} fields are written from these.
 *   <li>On a primitive schema whose Kubernetes JSON form is special, {@link #TYPE}:
 *       {@link #QUANTITY} (string), {@link #INT_OR_STRING} (on the string branch of the union
 *       {@code ["null","int",string]}), {@link #TIME} (long timestamp-millis, JSON RFC3339 seconds),
 *       {@link #MICRO_TIME} (long timestamp-micros, JSON RFC3339 with 6 fraction digits),
 *       {@link #DURATION} (string, Go duration syntax), {@link #JSON} (string holding compact JSON,
 *       an embedded JSON value in Kubernetes JSON).
 * </ul>
 */
public final class SchemaProps {
  public static final String KIND = "k8s.kind";
  public static final String API_VERSION = "k8s.apiVersion";
  public static final String RESOURCE = "k8s.resource";

  public static final String TYPE = "k8s.type";
  public static final String QUANTITY = "quantity";
  public static final String INT_OR_STRING = "int-or-string";
  public static final String TIME = "time";
  public static final String MICRO_TIME = "microtime";
  public static final String DURATION = "duration";
  public static final String JSON = "json";

  private SchemaProps() {}
}
