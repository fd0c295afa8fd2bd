package io.coedge.config;

/**
 * TLS on the HTTP port and mutual TLS between nodes. No certificate = plain HTTP. A CA = mutual TLS: the server
 * asks clients for a certificate and trusts only this CA for it; offload calls present the node's own certificate.
 *
 * @param certPath              PEM certificate chain of this node (leaf first), empty = no TLS
 * @param keyPath               PEM private key of that certificate (PKCS#8, PKCS#1 RSA or SEC1 EC)
 * @param caPath                PEM cluster CA, empty = no mutual TLS
 * @param reloadIntervalSeconds how often the files are checked for a change; 0 = never
 */
public record TlsConfig(String certPath, String keyPath, String caPath, int reloadIntervalSeconds) {

  static final ConfigKey CERT = ConfigKey.of("security.tls.cert", "",
      "PEM certificate (chain) for the HTTP port; set with `security.tls.key` to serve HTTPS, empty = plain HTTP");
  static final ConfigKey KEY = ConfigKey.of("security.tls.key", "",
      "PEM private key of `security.tls.cert`");
  static final ConfigKey CA = ConfigKey.of("security.tls.ca", "",
      "PEM cluster CA: turns on mutual TLS between nodes (client certificates requested, offloads present this "
          + "node's certificate); empty = off");
  static final ConfigKey RELOAD = ConfigKey.of("security.tls.reload-interval-s", "10",
      "How often the PEM files are checked and, when changed, reloaded without a restart (seconds, 0 = never)");

  public TlsConfig {
    if (certPath.isEmpty() != keyPath.isEmpty()) {
      ConfigKey missing = certPath.isEmpty() ? CERT : KEY;
      ConfigKey given = certPath.isEmpty() ? KEY : CERT;
      throw ConfigException.badValue(missing, "", "allowed: a PEM file path, needed because '" + given.name()
          + "' is set (set both or neither)");
    }
    if (!caPath.isEmpty() && certPath.isEmpty()) {
      throw ConfigException.badValue(CERT, "", "allowed: a PEM file path, needed because '" + CA.name()
          + "' is set (mutual TLS presents this node's certificate)");
    }
    if (reloadIntervalSeconds < 0) {
      throw ConfigException.badValue(RELOAD, String.valueOf(reloadIntervalSeconds), "allowed: 0 to 86400");
    }
  }

  /** True when the HTTP port serves HTTPS. */
  public boolean enabled() {
    return !certPath.isEmpty();
  }

  /** True when nodes authenticate each other with certificates from the cluster CA. */
  public boolean mutual() {
    return !caPath.isEmpty();
  }

  /** A start-up error for the certificate file: names the key, the path and what is wrong with it. */
  public ConfigException badCert(String problem) {
    return ConfigException.badValue(CERT, certPath, problem);
  }

  /** A start-up error for the private key file. */
  public ConfigException badKey(String problem) {
    return ConfigException.badValue(KEY, keyPath, problem);
  }

  /** A start-up error for the CA file. */
  public ConfigException badCa(String problem) {
    return ConfigException.badValue(CA, caPath, problem);
  }

  static TlsConfig from(ConfigSource s) {
    return new TlsConfig(s.string(CERT), s.string(KEY), s.string(CA), s.intValue(RELOAD, 0, 86_400));
  }
}
