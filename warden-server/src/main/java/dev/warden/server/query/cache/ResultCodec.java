package dev.warden.server.query.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link CachedResult} as bytes and back, exactly: a value decodes to an equal value of the
 * same type ({@code BigDecimal} keeps its scale, {@code OffsetDateTime} its offset). Strict: any
 * input that is not exactly what {@link #encode} writes is refused with {@link Unreadable}, never
 * decoded to something plausible.
 *
 * <p>Format (all integers big-endian, as {@link DataOutputStream} writes them):
 *
 * <pre>
 * byte   VERSION = 0x01
 * byte   flags: bit 0 = truncated; other bits 0
 * int    column count, then per column: string
 * int    row count, then per row: int value count, then per value: tag byte + payload
 *
 * string      int byte length + UTF-8 bytes (well-formed)
 * tag 0x00    null                                  (no payload)
 * tag 0x01    Long                                  long
 * tag 0x02    BigDecimal                            int scale, int length, two's-complement unscaled bytes (minimal)
 * tag 0x03    String                                string
 * tag 0x04    Boolean.FALSE / 0x05 Boolean.TRUE     (no payload)
 * tag 0x06    LocalDate                             long epoch day
 * tag 0x07    LocalDateTime                         long epoch day, long nano of day
 * tag 0x08    OffsetDateTime                        long epoch day, long nano of day, int offset seconds
 * </pre>
 *
 * A stored contract: a change gets a new version byte, never a new meaning for an old one.
 */
final class ResultCodec {
    static final byte VERSION = 0x01;

    private static final int FLAG_TRUNCATED = 0x01;
    private static final byte NULL = 0x00;
    private static final byte LONG = 0x01;
    private static final byte DECIMAL = 0x02;
    private static final byte STRING = 0x03;
    private static final byte FALSE = 0x04;
    private static final byte TRUE = 0x05;
    private static final byte DATE = 0x06;
    private static final byte DATE_TIME = 0x07;
    private static final byte OFFSET_DATE_TIME = 0x08;

    private ResultCodec() {
    }

    /** Input that does not decode. The message names what was wrong, never a value. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Encodes {@code result}; refuses (IllegalArgumentException, no value in the message) a value of
     * an unsupported type, a string that is not well-formed UTF-16, or output beyond {@code maxBytes}.
     */
    static byte[] encode(CachedResult result, int maxBytes) {
        Bounded buffer = new Bounded(maxBytes);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            out.writeByte(result.truncated() ? FLAG_TRUNCATED : 0);
            out.writeInt(result.columns().size());
            for (String column : result.columns()) {
                writeString(out, column);
            }
            out.writeInt(result.rows().size());
            for (Object[] row : result.rows()) {
                if (row == null) {
                    throw new IllegalArgumentException("a row is null");
                }
                out.writeInt(row.length);
                for (Object value : row) {
                    writeValue(out, value);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return buffer.toByteArray();
    }

    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeByte(NULL);
            case Long l -> {
                out.writeByte(LONG);
                out.writeLong(l);
            }
            case BigDecimal d -> {
                byte[] unscaled = d.unscaledValue().toByteArray();
                out.writeByte(DECIMAL);
                out.writeInt(d.scale());
                out.writeInt(unscaled.length);
                out.write(unscaled);
            }
            case String s -> {
                out.writeByte(STRING);
                writeString(out, s);
            }
            case Boolean b -> out.writeByte(b ? TRUE : FALSE);
            case LocalDate d -> {
                out.writeByte(DATE);
                out.writeLong(d.toEpochDay());
            }
            case LocalDateTime t -> {
                out.writeByte(DATE_TIME);
                out.writeLong(t.toLocalDate().toEpochDay());
                out.writeLong(t.toLocalTime().toNanoOfDay());
            }
            case OffsetDateTime t -> {
                out.writeByte(OFFSET_DATE_TIME);
                out.writeLong(t.toLocalDate().toEpochDay());
                out.writeLong(t.toLocalTime().toNanoOfDay());
                out.writeInt(t.getOffset().getTotalSeconds());
            }
            default -> throw new IllegalArgumentException("unsupported value type " + value.getClass().getName());
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        ByteBuffer bytes;
        try {
            // Strict: String.getBytes would turn a lone surrogate into '?', and the round trip would not be exact.
            bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a string is not well-formed UTF-16");
        }
        out.writeInt(bytes.remaining());
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    }

    static CachedResult decode(byte[] bytes) throws Unreadable {
        try {
            Reader in = new Reader(bytes);
            if (in.data.readByte() != VERSION) {
                throw new Unreadable("unknown result format version");
            }
            int flags = in.data.readUnsignedByte();
            if ((flags & ~FLAG_TRUNCATED) != 0) {
                throw new Unreadable("unknown result flags");
            }
            int columnCount = in.count();
            List<String> columns = new ArrayList<>(columnCount);
            for (int i = 0; i < columnCount; i++) {
                columns.add(in.string());
            }
            int rowCount = in.count();
            List<Object[]> rows = new ArrayList<>(rowCount);
            for (int r = 0; r < rowCount; r++) {
                Object[] row = new Object[in.count()];
                for (int v = 0; v < row.length; v++) {
                    row[v] = in.value();
                }
                rows.add(row);
            }
            if (in.remaining() != 0) {
                throw new Unreadable("trailing bytes after the result");
            }
            return new CachedResult(columns, rows, (flags & FLAG_TRUNCATED) != 0);
        } catch (EOFException e) {
            throw new Unreadable("result is truncated");
        } catch (IOException | RuntimeException e) {
            // DateTimeException, ArithmeticException, ...: bytes no encoder writes.
            throw new Unreadable("result is malformed");
        }
    }

    private static final class Reader {
        private final ByteArrayInputStream raw;
        private final DataInputStream data;

        Reader(byte[] bytes) {
            this.raw = new ByteArrayInputStream(bytes);
            this.data = new DataInputStream(raw);
        }

        int remaining() {
            return raw.available();
        }

        /** A count or length; each counted item takes at least one byte, so it cannot exceed what is left. */
        int count() throws IOException, Unreadable {
            int n = data.readInt();
            if (n < 0 || n > remaining()) {
                throw new Unreadable("count out of range");
            }
            return n;
        }

        byte[] bytes() throws IOException, Unreadable {
            byte[] b = new byte[count()];
            data.readFully(b);
            return b;
        }

        String string() throws IOException, Unreadable {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes()))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new Unreadable("string is not UTF-8");
            }
        }

        Object value() throws IOException, Unreadable {
            byte tag = data.readByte();
            return switch (tag) {
                case NULL -> null;
                case LONG -> data.readLong();
                case DECIMAL -> {
                    int scale = data.readInt();
                    byte[] unscaled = bytes();
                    if (unscaled.length == 0 || !Arrays.equals(unscaled, new BigInteger(unscaled).toByteArray())) {
                        throw new Unreadable("decimal is not minimally encoded");
                    }
                    yield new BigDecimal(new BigInteger(unscaled), scale);
                }
                case STRING -> string();
                case FALSE -> Boolean.FALSE;
                case TRUE -> Boolean.TRUE;
                case DATE -> LocalDate.ofEpochDay(data.readLong());
                case DATE_TIME -> LocalDateTime.of(LocalDate.ofEpochDay(data.readLong()),
                        LocalTime.ofNanoOfDay(data.readLong()));
                case OFFSET_DATE_TIME -> OffsetDateTime.of(LocalDate.ofEpochDay(data.readLong()),
                        LocalTime.ofNanoOfDay(data.readLong()), ZoneOffset.ofTotalSeconds(data.readInt()));
                default -> throw new Unreadable("unknown value tag");
            };
        }
    }

    /** Stops encoding as soon as the output would pass the limit, rather than building a huge array first. */
    private static final class Bounded extends ByteArrayOutputStream {
        private final int max;

        Bounded(int max) {
            super(Math.min(max, 4096));
            this.max = max;
        }

        @Override
        public void write(int b) {
            check(1);
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            check(len);
            super.write(b, off, len);
        }

        private void check(int len) {
            if (len > max - count) {
                throw new IllegalArgumentException("result larger than " + max + " bytes");
            }
        }
    }
}
