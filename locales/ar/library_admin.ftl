## The offline library (issue #18): library_admin

library_admin-title = المكتبة دون اتصال
library_admin-intro = الموسوعات والقواميس والكتب (ملفات ZIM من Kiwix) التي تطالعها المدرسة دون إنترنت. اختر من يقرأ كل واحدة منها؛ لا يرى التلاميذ والأولياء مجموعةً إلا بعد أن تفتحها لهم.
library_admin-installed =
    { $n ->
        [zero] لا توجد مجموعة مثبّتة
        [one] مجموعة واحدة مثبّتة
        [two] مجموعتان مثبّتتان
        [few] { $n } مجموعات مثبّتة
        [many] { $n } مجموعةً مثبّتة
       *[other] { $n } مجموعة مثبّتة
    }
library_admin-none = أضف مجموعة بإحدى الطرق الثلاث الموضّحة في أسفل هذه الصفحة.
library_admin-missing = الملف مفقود: أضفه من جديد.
library_admin-missing_hint = تحفظ النسخ الاحتياطية قائمة المجموعات لا ملفاتها. أعد وضع الملف (سطر الأوامر، أو قرص USB، أو مجلد Library في مساحة الموظفين المشتركة): يبقى جمهورها كما هو. المكان المنتظر: { $file }.
library_admin-language = اللغة
library_admin-articles = المقالات
library_admin-size = الحجم
library_admin-date = التاريخ
library_admin-creator = المؤلف
library_admin-source = أضيفت من
library_admin-source-cli = سطر الأوامر
library_admin-source-webdav = مساحة الموظفين المشتركة
library_admin-source-usb = قرص USB
library_admin-index = البحث في النص الكامل
library_admin-index-pending = في انتظار الفهرسة (العناوين فقط إلى ذلك الحين)
library_admin-index-building = جارٍ الفهرسة: { $done } من { $total } مقالة (العناوين فقط إلى ذلك الحين)
library_admin-index-ready = جاهز
library_admin-index-failed = فشلت الفهرسة (العناوين فقط)
library_admin-audience = من يقرؤها
library_admin-audience-school = المدرسة كلها
library_admin-audience-staff = الموظفون فقط
library_admin-audience-classes = أقسام مختارة
library_admin-classes = أقسام هذه السنة
library_admin-audience_hint = يقرأ الموظفون دائمًا كل المجموعات. «أقسام مختارة»: تلاميذ هذه الأقسام وأولياؤهم.
library_admin-save_audience = حفظ
library_admin-remove = إزالة…
library_admin-refused_title = ملفات وُجدت ورُفضت
library_admin-file = الملف
library_admin-found_in = وُجد في
library_admin-reason = السبب
library_admin-seen = شوهد في
library_admin-refused_hint = يبقى الملف المرفوض في القائمة حتى يُصلَح أو يُستبدَل أو يُحذَف.
library_admin-refused_none = لا يوجد ملف مرفوض.
library_admin-refused-unreadable = تعذّرت قراءة الملف (خطأ في القرص أو في الصلاحيات).
library_admin-refused-not_zim = هذا ليس مجموعة Kiwix (ملف ZIM).
library_admin-refused-split_name = يجب أن ينتهي الجزء الأول من المجموعة المقسّمة بـ ‎.zimaa.
library_admin-refused-version = هذا الإصدار من صيغة ZIM غير مدعوم (الإصداران 5 و6 مدعومان).
library_admin-refused-compression = تستخدم المجموعة ضغطًا قديمًا غير مدعوم: نزّل نسخة أحدث.
library_admin-refused-too_large = جزء من المجموعة أكبر مما يقبله الخادم.
library_admin-refused-corrupt = الملف تالف أو ناقص: انسخه من جديد.
library_admin-refused-already = هذه المجموعة مثبّتة من قبل.
library_admin-refused-place = تعذّر وضع الملف في المكتبة (هل القرص ممتلئ؟).
library_admin-refused-removed = أزال مسؤولٌ هذه المجموعة: لا يضيفها البحث عن الملفات.
library_admin-refused-other = مرفوض.
library_admin-readmit = أعد إضافتها
library_admin-not_removed = هذا الملف ليس مجموعة مُزالة.
library_admin-detail = التفاصيل
library_admin-scan_title = البحث عن ملفات جديدة
library_admin-scanning = يجري بحث الآن (قد يطول النسخ من قرص USB).
library_admin-last_scan =
    آخر بحث: { $at }، { $n ->
        [zero] لم يُضف شيء
        [one] أضيفت مجموعة واحدة
        [two] أضيفت مجموعتان
        [few] أضيفت { $n } مجموعات
        [many] أضيفت { $n } مجموعةً
       *[other] أضيفت { $n } مجموعة
    }.
library_admin-waiting = ما زالت قيد النسخ، وستضاف في بحث لاحق:
library_admin-scan_now = ابحث الآن
library_admin-how_title = كيف تضيف مجموعة
library_admin-how_staff = انسخ ملف ‎.zim إلى مجلد اسمه Library في أعلى مساحة الموظفين المشتركة (WebDAV أو المستندات). يضاف خلال دقائق دون أن يُنسخ مرة ثانية.
library_admin-how_usb = صِل قرص USB فيه مجلد اسمه library (أو kiwix) في جذره: يركّبه الجهاز للقراءة فقط وينسخ ملفاته إلى الخادم في ثوانٍ؛ انزعه حين تعرضها هذه الصفحة. (على خادم مثبّت يدويًا، ركّب القرص تحت ‎/media أو ‎/mnt.)
library_admin-how_cli = أو عبر SSH:
library_admin-how_audience = المجموعة التي توجد في مجلد أو على قرص تكون أولًا للموظفين فقط: افتحها هنا للمدرسة أو لأقسام.
library_admin-remove_title = إزالة مجموعة
library_admin-remove_confirm = هل تزيل «{ $title }» من المكتبة؟ يُحذف ملفها ({ $size }) وفهرس البحث الخاص بها من الخادم.
library_admin-remove_twins = يُحذف أيضًا الملف نفسه من مساحة الموظفين المشتركة (وإلا فلن تتحرر أي مساحة وسيضيفه البحث التالي من جديد):
library_admin-remove_hint = ستتوقف الروابط إلى مقالاتها في دفتر النصوص والمنتدى والبريد عن العمل.
library_admin-remove_yes = إزالة
library_admin-cancel = إلغاء
library_admin-bad_audience = اختر من يقرأ المجموعة: المدرسة كلها، أو الموظفون، أو قسم واحد على الأقل من أقسام هذه السنة.

## flash.library_admin

flash-library_admin-audience_saved = حُفظ الجمهور.
flash-library_admin-no_class = اختر قسمًا واحدًا على الأقل في «أقسام مختارة»؛ لم يتغيّر شيء.
flash-library_admin-removed = أزيلت المجموعة.
flash-library_admin-scanned = انتهى البحث.
flash-library_admin-scan_running = يستمر البحث في الخلفية؛ أعد تحميل هذه الصفحة بعد قليل.

## audit_action

audit_action-manage_library = تغيّرت مجموعة في المكتبة
