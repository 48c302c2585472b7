package io.kafkube.api.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The cluster CA and the API server's serving certificate, as PEM files in the data directory
 * ({@code ca.crt}, {@code ca.key}, {@code apiserver.crt}, {@code apiserver.key}): created at first
 * start with BouncyCastle, reused afterwards. The serving certificate names 127.0.0.1, localhost
 * and the {@code kubernetes.default.svc} names.
 */
public final class ClusterCertificates {
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration SERVING_VALIDITY = Duration.ofDays(365);
  private static final List<String> DNS_NAMES = List.of("localhost", "kubernetes", "kubernetes.default",
      "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

  private final Path caCert;
  private final Path caKey;
  private final Path servingCert;
  private final Path servingKey;
  private final Path kubeletClientCert;
  private final Path kubeletClientKey;

  private ClusterCertificates(Path dir) {
    this.caCert = dir.resolve("ca.crt");
    this.caKey = dir.resolve("ca.key");
    this.servingCert = dir.resolve("apiserver.crt");
    this.servingKey = dir.resolve("apiserver.key");
    this.kubeletClientCert = dir.resolve("apiserver-kubelet-client.crt");
    this.kubeletClientKey = dir.resolve("apiserver-kubelet-client.key");
  }

  /** Loads the certificates of {@code dir}, creating the missing ones. */
  public static ClusterCertificates loadOrCreate(Path dir) {
    try {
      Files.createDirectories(dir);
      ClusterCertificates c = new ClusterCertificates(dir);
      Path caKey = dir.resolve("ca.key");
      KeyPair ca;
      X509Certificate caCertificate;
      if (Files.exists(c.caCert) && Files.exists(caKey)) {
        ca = readKeyPair(caKey);
        caCertificate = readCert(c.caCert);
      } else {
        ca = newKeyPair();
        caCertificate = selfSignedCa(ca);
        writePem(caKey, privateKeyPem(ca.getPrivate()), true);
        writePem(c.caCert, pem(caCertificate), false);
      }
      if (!Files.exists(c.servingCert) || !Files.exists(c.servingKey)) {
        KeyPair serving = newKeyPair();
        X509Certificate cert = servingCertificate(serving, ca, caCertificate);
        writePem(c.servingKey, privateKeyPem(serving.getPrivate()), true);
        writePem(c.servingCert, pem(cert), false);
      }
      if (!Files.exists(c.kubeletClientCert) || !Files.exists(c.kubeletClientKey)) {
        KeyPair client = newKeyPair();
        X509Certificate cert = leaf(client, ca, caCertificate, "CN=kube-apiserver-kubelet-client,O=system:masters",
            KeyPurposeId.id_kp_clientAuth, List.of(), List.of());
        writePem(c.kubeletClientKey, privateKeyPem(client.getPrivate()), true);
        writePem(c.kubeletClientCert, pem(cert), false);
      }
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the cluster certificates in " + dir, e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot create the cluster certificates", e);
    }
  }

  public Path caCertPath() {
    return caCert;
  }

  public Path servingCertPath() {
    return servingCert;
  }

  public Path servingKeyPath() {
    return servingKey;
  }

  /** The client certificate the API server shows node agents (kubeadm's apiserver-kubelet-client). */
  public Path kubeletClientCertPath() {
    return kubeletClientCert;
  }

  public Path kubeletClientKeyPath() {
    return kubeletClientKey;
  }

  /**
   * Issues a node agent's serving certificate ({@code CN=system:node:<node>}, for 127.0.0.1 and the node's
   * name) into {@code certFile} and {@code keyFile}, unless both exist already.
   */
  public void issueNodeServing(String nodeName, Path certFile, Path keyFile) {
    if (Files.exists(certFile) && Files.exists(keyFile)) {
      return;
    }
    try {
      KeyPair ca = readKeyPair(caKey);
      X509Certificate caCertificate = readCert(caCert);
      KeyPair kp = newKeyPair();
      X509Certificate cert = leaf(kp, ca, caCertificate, "CN=system:node:" + nodeName + ",O=system:nodes",
          KeyPurposeId.id_kp_serverAuth, List.of("localhost", nodeName), List.of("127.0.0.1"));
      Files.createDirectories(certFile.toAbsolutePath().getParent());
      writePem(keyFile, privateKeyPem(kp.getPrivate()), true);
      writePem(certFile, pem(cert), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the certificate of node " + nodeName, e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the certificate of node " + nodeName, e);
    }
  }

  /** The CA certificate as PEM text (what a kubeconfig's certificate-authority-data holds, base64ed). */
  public String caPem() {
    try {
      return Files.readString(caCert, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256, new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509Certificate selfSignedCa(KeyPair kp)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException, IOException {
    X500Name name = new X500Name("CN=kafkube-ca");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name, kp.getPublic());
    JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
        | KeyUsage.digitalSignature));
    b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
    return build(b, kp.getPrivate());
  }

  private static X509Certificate servingCertificate(KeyPair kp, KeyPair ca, X509Certificate caCertificate)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException, IOException {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCertificate, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SERVING_VALIDITY)),
        new X500Name("CN=kube-apiserver"), kp.getPublic());
    JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(caCertificate));
    GeneralName[] names = new GeneralName[DNS_NAMES.size() + 2];
    int i = 0;
    for (String d : DNS_NAMES) {
      names[i++] = new GeneralName(GeneralName.dNSName, d);
    }
    names[i++] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
    names[i] = new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress());
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    return build(b, ca.getPrivate());
  }

  /** A certificate signed by the CA for one purpose (server or client authentication). */
  private static X509Certificate leaf(KeyPair kp, KeyPair ca, X509Certificate caCertificate, String subject,
      KeyPurposeId purpose, List<String> dnsNames, List<String> ips)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException, IOException {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCertificate, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SERVING_VALIDITY)), new X500Name(subject),
        kp.getPublic());
    JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(caCertificate));
    if (!dnsNames.isEmpty() || !ips.isEmpty()) {
      GeneralName[] names = new GeneralName[dnsNames.size() + ips.size()];
      int i = 0;
      for (String d : dnsNames) {
        names[i++] = new GeneralName(GeneralName.dNSName, d);
      }
      for (String ip : ips) {
        names[i++] = new GeneralName(GeneralName.iPAddress, ip);
      }
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    return build(b, ca.getPrivate());
  }

  private static KeyPair readKeyPair(Path file) throws IOException {
    try (PEMParser p = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) {
        return conv.getKeyPair(kp);
      }
      if (o instanceof PrivateKeyInfo info) {
        PrivateKey key = conv.getPrivateKey(info);
        return new KeyPair(null, key);
      }
      throw new IOException("not a private key: " + file);
    }
  }

  private static X509Certificate readCert(Path file) throws IOException, GeneralSecurityException {
    try (PEMParser p = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
      Object o = p.readObject();
      if (!(o instanceof X509CertificateHolder h)) {
        throw new IOException("not a certificate: " + file);
      }
      return new JcaX509CertificateConverter().getCertificate(h);
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }

  private static String privateKeyPem(PrivateKey key) throws IOException {
    return pem(new JcaPKCS8Generator(key, null));
  }

  private static void writePem(Path file, String text, boolean secret) throws IOException {
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    if (secret) {
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    }
  }

  private static X509Certificate build(JcaX509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
    ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    X509CertificateHolder h = b.build(s);
    return new JcaX509CertificateConverter().getCertificate(h);
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
  }
}
