package dev.warden.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text a spreadsheet would run as a formula is defused; everything else is written as it is. */
class CsvFormulaTest {
    @Test
    void formulaStartsGetAnApostropheAndNothingElseChanges() {
        assertThat(ResultWriter.defused("=HYPERLINK(\"http://evil\")")).isEqualTo("'=HYPERLINK(\"http://evil\")");
        assertThat(ResultWriter.defused("+1")).isEqualTo("'+1");
        assertThat(ResultWriter.defused("-2")).isEqualTo("'-2");
        assertThat(ResultWriter.defused("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(ResultWriter.defused("\tcmd")).isEqualTo("'\tcmd");
        assertThat(ResultWriter.defused("north")).isEqualTo("north");
        assertThat(ResultWriter.defused("")).isEqualTo("");
        assertThat(ResultWriter.defused("a=b")).isEqualTo("a=b");
    }
}
