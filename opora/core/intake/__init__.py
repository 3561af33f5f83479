"""File intake: every file a user hands in enters here, whatever reads it afterwards.

One set of limits (``settings.MAX_UPLOAD_BYTES`` and ``settings.MAX_UNPACKED_BYTES``) and one
set of refusals in Russian (:class:`~opora.core.intake.files.UploadError`) for all readers:

- ``files``      reading an upload, a path or bytes whole, refusing it past the size limit;
- ``sniff``      what a file is by its content (.xlsx, .docx, old .doc/.xls, PDF, text);
- ``encodings``  UTF-8 (with or without BOM) or Windows-1251, invisible characters;
- ``zipguard``   every Office archive, member by member, with bounded unpacking;
- ``tables``     the first sheet of an .xlsx or a CSV as rows keyed by the header;
- ``grid``       a table as a grid of cells, merged cells shared by the positions they cover;
- ``docx_grid``  Word tables (merged cells, nested tables) read into that grid;
- ``numbering``  Word's automatic list numbering («1.», «1.1.», «II.», «а)») as text.

What a file *means* (a roadmap, an interview protocol, results) stays in the apps' readers.
This package imports no app.
"""
