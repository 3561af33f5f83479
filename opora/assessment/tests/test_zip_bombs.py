"""Issue 9: a results workbook that is a zip bomb is refused before openpyxl opens it, in
under a second and without unpacking it."""

import pytest

from opora.assessment.results_file import ResultsFileError, read_results
from opora.testing.bombs import BOMBS, assert_refused


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_the_results_reader_refuses_a_bomb(bomb):
    data = BOMBS[bomb]("xlsx")

    def read():
        with pytest.raises(ResultsFileError) as error:
            read_results(data, "результаты.xlsx", {"700901"})
        return error.value

    assert_refused(read)
