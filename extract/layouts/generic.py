"""The fallback for unknown portals: the densest block of paragraphs, the date line
nearest the title. Also knows the common container names of small Vietnamese CMSs."""
from .base import Layout

LAYOUTS = (
    Layout(
        name="generic",
        priority=1000,
        title=("h1[itemprop=headline]", "h1.title", ".news-detail h1", "article h1", "h1", ".title-detail", "h2.title"),
        summary=(".hometext", "[itemprop=description]", ".sapo", ".summary", "[class*=lead]", "[class*=sapo]",
                 "[class*=tom-tat]", "[class*=tomtat]"),
        body=("[itemprop=articleBody]", "div.bodytext", ".news-content", ".content-detail", ".detail-content",
              ".noi-dung", ".entry-content", "article .content", "article"),
        author=(".author", ".tac-gia", "[itemprop=author]"),
        attachments=("[class*=files] a", "[class*=attach] a", "[class*=dinh-kem] a", "[class*=dinhkem] a"),
    ),
)
