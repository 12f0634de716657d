## The offline library (issue #18): library

library-title = المكتبة
library-intro = موسوعات وقواميس وكتب، تُقرأ دون إنترنت.
library-search_all = البحث في المكتبة كلها
library-search_in = البحث في { $title }
library-search_button = بحث
library-language = اللغة: { $lang }
library-articles = { $n ->
    [zero] لا مقالات
    [one] مقال واحد
    [two] مقالان
    [few] { $n } مقالات
    [many] { $n } مقالًا
   *[other] { $n } مقال
}
library-empty = لا توجد مجموعة للقراءة بعد.
library-empty_admin = تُضاف المجموعات (ملفات ZIM من Kiwix: ويكيبيديا، فيكيديا، ويكاموس…) من صفحة الإدارة.
library-admin_link = إدارة المكتبة
library-no_main_title = ليست لهذه المجموعة صفحة رئيسية
library-no_main = ابحث عن مقال في المجموعة.
library-problem_title = مجموعة غير مقروءة
library-problem = لا يمكن قراءة هذه المجموعة حاليًا. يُرجى إبلاغ مدير المدرسة.
library-problem_detail = رسالة القارئ: { $detail }
library-bad_path = عنوان المقال هذا غير صالح.
library-bar_portal = البوابة
library-bar_placeholder = ابحث عن مقال
