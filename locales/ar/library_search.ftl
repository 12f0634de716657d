## The offline library (issue #18): library_search

library_search-title = البحث في المكتبة
library_search-library = المكتبة
library_search-label = ابحث عن
library_search-in = في
library_search-all = كل المجموعات
library_search-button = بحث
library_search-hint = اكتب كلمة أو بداية عنوان.
library_search-no_collections = لا توجد مجموعة متاحة لك حاليًا.
library_search-titles = العناوين
library_search-fulltext = في نصوص المقالات
# The number is written before this word, outside the message.
library_search-results = { $n ->
    [zero] نتيجة
    [one] نتيجة
    [two] نتيجتان
    [few] نتائج
    [many] نتيجة
   *[other] نتيجة
}
library_search-none = لا توجد مقالة تحتوي على هذه الكلمات.
library_search-preparing = يجري تحضير البحث في نص { $title } ({ $done } من { $total } مقالة): يُبحث في العناوين فقط حاليًا.
library_search-unavailable = البحث في نص { $title } غير متاح: يُبحث في العناوين فقط.
library_search-pages = صفحات النتائج
library_search-prev = الصفحة السابقة
library_search-next = الصفحة التالية
library_search-page = الصفحة { $n }
