package dev.warden.server.keys;

import dev.warden.crypto.Keyring;
import dev.warden.crypto.MasterKey;
import dev.warden.crypto.MasterKeyUnavailable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the master key comes from: a KMS key URI ({@code WARDEN_MASTER_KEY_URI}, through Tink's
 * registered KMS clients) in production, or by default a local Tink keyset file under the data
 * directory, created on first start with owner-only permissions and a loud warning.
 */
@Configuration
class MasterKeyConfig {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyConfig.class);

    @Bean
    Keyring keyring(@Value("${warden.master-key-uri:}") String uri, @Value("${warden.data-dir}") String dataDir)
            throws MasterKeyUnavailable, java.io.IOException {
        if (!uri.isBlank()) {
            MasterKey kms = MasterKey.fromKms(uri);
            LOG.info("master key: {}", kms.description());
            return Keyring.under(kms);
        }
        Path dir = Path.of(dataDir).toAbsolutePath();
        Files.createDirectories(dir);
        Path file = dir.resolve("master-key.json");
        LOG.warn("master key: a LOCAL FILE ({}). Fine for development and single-node use; in production "
                + "set WARDEN_MASTER_KEY_URI to a KMS key. Losing this file makes every stored secret unreadable.", file);
        return Keyring.under(MasterKey.fromLocalFile(file));
    }
}
