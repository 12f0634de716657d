## flash.forum

flash-forum-edited = عُدّلت المشاركة.
flash-forum-post_deleted = حُذفت المشاركة.
flash-forum-reported = شكرًا لك: أُبلغ المشرفون.
flash-forum-pinned = ثُبّت الموضوع.
flash-forum-unpinned = لم يعد الموضوع مثبّتًا.
flash-forum-locked = أُقفل الموضوع.
flash-forum-unlocked = فُتح الموضوع من جديد.
flash-forum-topic_hidden = أُخفي الموضوع عن القرّاء.
flash-forum-topic_shown = أصبح الموضوع ظاهرًا من جديد.
flash-forum-moved = نُقل الموضوع.
flash-forum-topic_deleted = حُذف الموضوع.
flash-forum-post_hidden = أُخفيت المشاركة عن القرّاء.
flash-forum-post_shown = أصبحت المشاركة ظاهرة من جديد.
flash-forum-post_removed = حُذفت المشاركة.
flash-forum-report_dismissed = أُغلق البلاغ.
flash-forum-muted = مُنع التلميذ من الكتابة في هذه الفئة.
flash-forum-unmuted = رُفع المنع.
flash-forum-category_created = أُضيفت الفئة.

## forum

forum-title = المنتدى
forum-cat_school = المدرسة كلها
forum-cat_staff = قاعة الأساتذة
forum-error_not_found = هذا الموضوع أو هذه المشاركة غير موجودة، أو لا يُسمح لك برؤيتها.
forum-error_denied = لا يُسمح لك بالقيام بهذا في المنتدى.
forum-error_title_empty = ضع عنوانًا لموضوعك.
forum-error_title_long = العنوان طويل جدًا (150 حرفًا على الأكثر).
forum-error_body_empty = اكتب مشاركة أولًا.
forum-error_body_long = المشاركة طويلة جدًا (20000 حرف على الأكثر). اختصرها، أو قسّمها إلى عدة مشاركات.
forum-error_locked = هذا الموضوع مقفل: لم يعد بإمكان أحد الرد عليه.
forum-error_muted = منعك أحد المشرفين من الكتابة في هذه الفئة حتى { $until }. لا يزال بإمكانك قراءتها.
forum-error_too_fast =
    أنت تنشر بسرعة كبيرة. انتظر { $secs ->
        [zero] لحظة
        [one] ثانية واحدة
        [two] ثانيتين
        [few] { $secs } ثوانٍ
        [many] { $secs } ثانية
       *[other] { $secs } ثانية
    }، ثم أرسل من جديد: نصّك محفوظ أدناه.
forum-error_too_late = انتهت المهلة المتاحة لحذف هذه المشاركة. لا يزال بإمكانك تعديلها، أو طلب ذلك من أحد المشرفين.
forum-error_category_name = يتكوّن اسم الفئة من 1 إلى 80 حرفًا.
forum-error_no_roles = حدّد دورًا واحدًا على الأقل يرى هذه الفئة.
forum-error_mute_target = لا يوجد تلميذ يحمل اسم المستخدم هذا. المنع من الكتابة لا يخص إلا التلاميذ.
forum-mail_mention_subject = أشار إليك { $actor } في «{ $topic }»
forum-mail_mention_body =
    أشار إليك { $actor } في موضوع المنتدى «{ $topic }».

    للقراءة: { $link }

    (أُرسلت هذه الرسالة من منتدى بوابة المدرسة.)
forum-mail_reply_subject = رد جديد على «{ $topic }»
forum-mail_reply_body =
    ردّ { $actor } على موضوعك في المنتدى «{ $topic }».

    للقراءة: { $link }

    (أُرسلت هذه الرسالة من منتدى بوابة المدرسة.)
forum-notices = إشعاراتك
forum-notice_mention = أشار إليك { $actor } في «{ $topic }»
forum-notice_reply = ردّ { $actor } على موضوعك «{ $topic }»
forum-notices_count =
    { $n ->
        [zero] لا جديد
        [one] إشعار واحد جديد
        [two] إشعاران جديدان
        [few] { $n } إشعارات جديدة
        [many] { $n } إشعارًا جديدًا
       *[other] { $n } إشعار جديد
    }
forum-search = بحث
forum-search_label = البحث في المنتدى
forum-search_title = البحث في المنتدى
forum-no_hits = لا توجد مشاركة تطابق هذا البحث.
forum-moderation = المشاركات المُبلَّغ عنها
forum-topics =
    { $n ->
        [zero] لا مواضيع
        [one] موضوع واحد
        [two] موضوعان
        [few] { $n } مواضيع
        [many] { $n } موضوعًا
       *[other] { $n } موضوع
    }
forum-unread_topics =
    { $n ->
        [zero] لا مواضيع غير مقروءة
        [one] موضوع واحد غير مقروء
        [two] موضوعان غير مقروءين
        [few] { $n } مواضيع غير مقروءة
        [many] { $n } موضوعًا غير مقروء
       *[other] { $n } موضوع غير مقروء
    }
forum-last_post = آخر مشاركة في { $when }
forum-new_topic = موضوع جديد
forum-muted_notice = منعك أحد المشرفين من الكتابة هنا حتى { $until }: يمكنك القراءة، ولكن لا يمكنك الكتابة.
forum-pinned_mark = مثبّت
forum-locked_mark = مقفل
forum-hidden_mark = مخفي
forum-hidden_post_mark = مخفية عن القرّاء
forum-new = جديد
forum-unread_posts =
    { $n ->
        [zero] لا مشاركات غير مقروءة
        [one] مشاركة واحدة غير مقروءة
        [two] مشاركتان غير مقروءتين
        [few] { $n } مشاركات غير مقروءة
        [many] { $n } مشاركة غير مقروءة
       *[other] { $n } مشاركة غير مقروءة
    }
forum-gone = (حساب سابق)
forum-replies =
    { $n ->
        [zero] لا ردود
        [one] رد واحد
        [two] ردّان
        [few] { $n } ردود
        [many] { $n } ردًّا
       *[other] { $n } رد
    }
forum-no_topics = لا توجد مواضيع هنا بعد.
forum-newer = → الأحدث
forum-older = الأقدم ←
forum-mute_title = منع تلميذ من الكتابة
forum-mute_hint = يظل التلميذ الممنوع من الكتابة قادرًا على قراءة هذه الفئة، لكنه لا يستطيع الكتابة فيها حتى انتهاء المدة.
forum-mute_username = اسم المستخدم الخاص بالتلميذ
forum-mute_duration = المدة
forum-mute_hour = ساعة واحدة
forum-mute_day = يوم واحد
forum-mute_week = أسبوع واحد
forum-mute_lift = رفع المنع
forum-mute = تطبيق
forum-topic_title = العنوان
forum-body = المشاركة
# The code samples are left-to-right isolates (U+2066 … U+2069), so their marks stay in place.
forum-markdown_help = التنسيق: ⁦**عريض**⁩، ⁦*مائل*⁩، ⁦`شيفرة`⁩، سطر يبدأ بـ ⁦-⁩ لعمل قائمة، و⁦>⁩ للاقتباس، و⁦[نص](https://…)⁩ لوضع رابط؛ و⁦@اسم_المستخدم⁩ لتنبيه شخص ما.
forum-send = إرسال
forum-preview = معاينة
forum-preview_title = معاينة (لم تُرسَل بعد)
forum-edit_title = تعديل مشاركتك
forum-edit_hint = يبقى النص السابق ظاهرًا في سجل تعديلات المشاركة.
forum-locked_notice = هذا الموضوع مقفل: لم يعد بإمكان أحد الرد عليه.
forum-locked_moderator = هذا الموضوع مقفل: لم يعد بإمكان أحد الكتابة فيه إلا المشرفين.
forum-history_title = النسخ السابقة
forum-history_intro = مشاركة كتبها { $author }، من أحدث نسخة إلى أقدمها.
forum-version_current = النسخة الحالية
forum-version_of = نسخة { $when }
forum-history_none = لم تُعدَّل هذه المشاركة.
forum-reported_by = أبلغ عنها { $who } في { $when }
forum-dismiss = لا مشكلة فيها
forum-show = إظهار
forum-hide = إخفاء
forum-delete = حذف
forum-no_reports = لا توجد مشاركة تنتظر مشرفًا.
forum-new_posts = جديد منذ زيارتك الأخيرة
forum-edited_mark = معدَّلة
forum-post_deleted_line = حُذفت هذه المشاركة.
forum-post_hidden_line = أخفى أحد المشرفين هذه المشاركة.
forum-quote = اقتباس
forum-edit = تعديل
forum-delete_own = حذف
forum-report = إبلاغ
forum-report_reason = لماذا؟ (اختياري)
forum-report_send = إبلاغ المشرفين
forum-report_title = الإبلاغ عن مشاركة
forum-report_intro = سيرى المشرفون هذه المشاركة والسبب الذي تذكره. ولن يعرف كاتبها من أبلغ عنها.
forum-report_cancel = العودة إلى الموضوع
forum-reply = رد
forum-moderate_topic = الإشراف
forum-pin = تثبيت
forum-unpin = إلغاء التثبيت
forum-lock = قفل
forum-unlock = فتح
forum-hide_topic = إخفاء الموضوع
forum-show_topic = إظهار الموضوع
forum-move_to = نقل إلى
forum-move = نقل
forum-delete_topic = حذف الموضوع…
forum-delete_topic_warning = سيُحذف الموضوع وكل مشاركاته نهائيًا.
forum-delete_topic_confirm = حذف نهائي
forum-pages = الصفحات
forum-prev_page = → الصفحة السابقة
forum-next_page = الصفحة التالية ←
forum-page_of = الصفحة { $n } من { $total }
forum-admin_title = فئات المنتدى
forum-admin_intro = للمدرسة كلها ولقاعة الأساتذة ولكل قسم فئة خاصة بها من قبل. أضف هنا فئة للأشخاص الذين تختارهم (لأولياء الأمور فقط، مثلًا).
forum-admin_custom = الفئات المضافة
forum-admin_none = لا توجد فئات مضافة بعد.
forum-admin_add = إضافة فئة
forum-category_name = الاسم
forum-category_description = الوصف
forum-category_roles = من يراها
forum-admin_roles_hint = يرى مسؤولو النظام كل الفئات.
forum-admin_create = إضافة الفئة
