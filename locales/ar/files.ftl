## flash.files

flash-files-uploaded = تم رفع الملفات.
flash-files-folder_created = تم إنشاء المجلد.
flash-files-renamed = تمت إعادة التسمية.
flash-files-moved = تم النقل.
flash-files-deleted = نُقل إلى سلة المهملات. يمكنك استعادته منها خلال 30 يومًا.
flash-files-restored = أُعيد إلى مكانه الأصلي.

## files

files-error_name = هذا الاسم غير مسموح به: يجب ألّا يحتوي على / \ : * ? " < > | ولا على محارف تحكم أو محارف غير مرئية، وألّا يكون . أو ..، وألّا ينتهي بنقطة أو بمسافة.
files-error_exists = يوجد هنا بالفعل ملف أو مجلد بهذا الاسم (الأسماء التي لا تختلف إلا في الأحرف الكبيرة والصغيرة تُعدّ متطابقة).
files-error_not_folder = هذا ليس مجلدًا.
files-error_quota = لم تعد هناك مساحة كافية ضمن المساحة المخصّصة لك للقيام بذلك.
files-error_incomplete = انقطع الرفع. لم يُحفظ أي شيء؛ يُرجى إرسال الملف من جديد.
files-error_no_file = اختر ملفًا واحدًا على الأقل لإرساله.
files-error_space_root = لا يمكن إعادة تسمية فضاء كامل أو نقله أو حذفه.
files-error_other_space = لا يمكن النقل إلا إلى مجلد في الفضاء نفسه. لوضع الملف في فضاء آخر، نزّله ثم ارفعه هناك.
files-error_into_itself = لا يمكن نقل مجلد إلى داخله.
files-error_restore_exists = تتعذر الاستعادة: يوجد الآن ملف أو مجلد بهذا الاسم في ذلك المكان. أعد تسميته أو انقله، ثم حاول مرة أخرى.
files-title = مستنداتي
files-my_documents = مستنداتي
files-quota_label = المساحة المستخدمة
files-usage = فضاؤك الشخصي: استُخدم { $used } من أصل { $quota }.
files-kind_personal = فضاء شخصي
files-kind_class = قسم
files-kind_staff = قاعة الأساتذة
files-can_write = قراءة وكتابة
files-can_read = قراءة فقط
files-open_trash = سلة المهملات
files-breadcrumbs = المسار
files-read_only = يمكنك عرض هذه المستندات وتنزيلها، لكن لا يمكنك تعديلها.
files-upload_label = رفع ملفات (يمكنك اختيار عدة ملفات معًا)
files-upload = رفع
files-new_folder = مجلد جديد
files-create = إنشاء
files-up = المجلد الأعلى
files-empty = هذا المجلد فارغ.
files-actions = الإجراءات
files-new_name = الاسم الجديد
files-rename = إعادة التسمية
files-move_to = النقل إلى المجلد
files-move = نقل
files-delete = النقل إلى سلة المهملات
files-download = تنزيل
files-trash_title = سلة المهملات
files-trash_intro =
    تبقى العناصر المحذوفة هنا مدة { $days ->
        [zero] { $days } يوم
        [one] يوم واحد
        [two] يومين
        [few] { $days } أيام
        [many] { $days } يومًا
       *[other] { $days } يوم
    }، ثم تُمحى نهائيًا. ولا تُحتسب ضمن المساحة المخصّصة لك.
files-trash_empty = سلة المهملات فارغة.
files-deleted_on = حُذف في { $date }
files-restore = استعادة
