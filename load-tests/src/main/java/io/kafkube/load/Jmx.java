package io.kafkube.load;

import javax.management.AttributeNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Reading the Kafka clients' JMX counters of this JVM, for the benchmarks' printouts. */
final class Jmx {
  private Jmx() {}

  /** A numeric attribute's value, 0 where this client version does not have it. */
  static double number(MBeanServer server, ObjectName name, String attribute) throws JMException {
    try {
      return server.getAttribute(name, attribute) instanceof Number v ? v.doubleValue() : 0;
    } catch (AttributeNotFoundException e) {
      return 0;
    }
  }

  /** A client or thread id without the UUID Kafka Streams puts in it ({@code kafkube-store-StreamThread-1}). */
  static String withoutUuid(String id) {
    return id.replaceAll("-[0-9a-f]{8}-[0-9a-f-]{27}", "");
  }
}
