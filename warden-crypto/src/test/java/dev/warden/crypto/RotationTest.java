package dev.warden.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rotation: everything sealed before, during and after stays readable; reseal moves it forward. */
class RotationTest {
    private final KekMasterKey master = TestKeys.inMemoryMasterKey();
    private final Keyring keyring = Keyring.under(master);

    private static byte[] row(int i) {
        return ("row-" + i).getBytes(UTF_8);
    }

    @Test
    void oneStepRotationKeepsOldCiphertextsReadableAndResealMovesThem() throws Exception {
        WrappedKeyset v1 = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);
        DataSealer before = keyring.dataSealer("acme", v1);
        byte[] sealedBefore = before.seal(row(1), "r1");

        WrappedKeyset v2 = keyring.rotate("acme", KeyPurpose.CUSTOMER_DATA, v1);
        DataSealer after = keyring.dataSealer("acme", v2);
        byte[] sealedAfter = after.seal(row(2), "r2");

        assertThat(TestKeys.rawKeyBytes(master, "acme", KeyPurpose.CUSTOMER_DATA, v2)).hasSize(2);
        assertThat(after.open(sealedBefore, "r1")).isEqualTo(row(1));
        assertThat(after.open(sealedAfter, "r2")).isEqualTo(row(2));
        assertThat(after.isUnderPrimaryKey(sealedBefore)).isFalse();
        assertThat(after.isUnderPrimaryKey(sealedAfter)).isTrue();

        byte[] moved = after.reseal(sealedBefore, "r1");

        assertThat(after.isUnderPrimaryKey(moved)).isTrue();
        assertThat(after.open(moved, "r1")).isEqualTo(row(1));
        assertThat(moved).isNotEqualTo(sealedBefore);
    }

    @Test
    void twoStepRotationAcrossNodesReadsEverythingBeforeDuringAndAfter() throws Exception {
        List<byte[]> sealed = new ArrayList<>();
        List<String> records = new ArrayList<>();
        List<DataSealer> nodes = new ArrayList<>();

        // Before: one key.
        WrappedKeyset v1 = keyring.create("acme", KeyPurpose.CUSTOMER_DATA);
        DataSealer nodeA = keyring.dataSealer("acme", v1);
        nodes.add(nodeA);
        seal(nodeA, 0, sealed, records);

        // During, step 1: a new key that opens but does not seal yet. A node that has not
        // reloaded and one that has both seal with the old key, so each reads the other's output.
        WrappedKeyset v2 = keyring.addKey("acme", KeyPurpose.CUSTOMER_DATA, v1);
        DataSealer nodeB = keyring.dataSealer("acme", v2);
        nodes.add(nodeB);
        seal(nodeA, 1, sealed, records);
        seal(nodeB, 2, sealed, records);
        assertThat(nodeB.isUnderPrimaryKey(sealed.get(2))).isTrue();
        assertThat(sealed.get(2)).satisfies(s -> assertThat(nodeA.isUnderPrimaryKey(s)).isTrue());

        // During, step 2: the new key becomes primary; every node already has it.
        WrappedKeyset v3 = keyring.promoteNewestKey("acme", KeyPurpose.CUSTOMER_DATA, v2);
        DataSealer nodeC = keyring.dataSealer("acme", v3);
        nodes.add(nodeC);
        seal(nodeC, 3, sealed, records);
        assertThat(nodeC.isUnderPrimaryKey(sealed.get(3))).isTrue();
        assertThat(nodeC.isUnderPrimaryKey(sealed.get(0))).isFalse();

        // Nodes that loaded v2 read what the new primary sealed.
        assertThat(nodeB.open(sealed.get(3), records.get(3))).isEqualTo(row(3));

        // The re-encryption job, on the node with v3.
        int moved = 0;
        for (int i = 0; i < sealed.size(); i++) {
            if (!nodeC.isUnderPrimaryKey(sealed.get(i))) {
                sealed.set(i, nodeC.reseal(sealed.get(i), records.get(i)));
                moved++;
            }
        }
        assertThat(moved).isEqualTo(3);

        // After: everything is under the new primary, and every node that loaded v2 or later reads
        // it all (the node still on v1 was to reload before the promotion: that is the two steps).
        for (int i = 0; i < sealed.size(); i++) {
            assertThat(nodeC.isUnderPrimaryKey(sealed.get(i))).isTrue();
            for (DataSealer node : nodes.subList(1, nodes.size())) {
                assertThat(node.open(sealed.get(i), records.get(i))).isEqualTo(row(i));
            }
        }
    }

    @Test
    void repeatedRotationsKeepEveryGenerationReadable() throws Exception {
        WrappedKeyset keys = keyring.create("acme", KeyPurpose.CUSTOMER_CREDENTIALS);
        List<byte[]> sealed = new ArrayList<>();
        for (int generation = 0; generation < 5; generation++) {
            sealed.add(keyring.credentialSealer("acme", keys).seal(row(generation), "secret:" + generation));
            keys = keyring.rotate("acme", KeyPurpose.CUSTOMER_CREDENTIALS, keys);
        }

        CredentialOpener opener = keyring.credentialOpener("acme", keys, CredentialAccess.get());
        CredentialSealer sealer = keyring.credentialSealer("acme", keys);
        for (int generation = 0; generation < 5; generation++) {
            byte[] moved = sealer.reseal(sealed.get(generation), "secret:" + generation);
            assertThat(sealer.isUnderPrimaryKey(sealed.get(generation))).isFalse();
            assertThat(sealer.isUnderPrimaryKey(moved)).isTrue();
            assertThat(opener.open(sealed.get(generation), "secret:" + generation)).isEqualTo(row(generation));
            assertThat(opener.open(moved, "secret:" + generation)).isEqualTo(row(generation));
        }
    }

    @Test
    void resealCannotMoveACiphertextToAnotherRecord() throws Exception {
        DataSealer sealer = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));
        byte[] sealed = sealer.seal(row(1), "r1");

        SealingTest.assertUnreadable(() -> sealer.reseal(sealed, "r2"));
    }

    @Test
    void isUnderPrimaryKeyIsFalseForGarbage() throws Exception {
        DataSealer sealer = keyring.dataSealer("acme", keyring.create("acme", KeyPurpose.CUSTOMER_DATA));

        assertThat(sealer.isUnderPrimaryKey(new byte[0])).isFalse();
        assertThat(sealer.isUnderPrimaryKey(new byte[100])).isFalse();
    }

    private static void seal(DataSealer node, int i, List<byte[]> sealed, List<String> records) {
        records.add("record:" + i);
        sealed.add(node.seal(row(i), "record:" + i));
    }
}
